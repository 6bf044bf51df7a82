"""Alembic environment: SQLModel's metadata, batch mode for SQLite.

`burden-tracker init` passes its own connection; the `alembic` command (for writing new
migrations) connects to DATABASE_URL, or the app's default database.
"""

import warnings

from alembic import context
from sqlmodel import SQLModel

from burden_tracker import models  # noqa: F401  (registers the tables on the metadata)

config = context.config


# Written by hand in migrations 0024 and 0040 for each database's text search, and no model's: never compared. The job
# queue's own tables (jobs.py), there when JOBS_URL names the app's PostgreSQL database: Huey makes and owns them.
NOT_OURS = ("nomination_words", "ix_nominations_words", "commons_card_words", "ix_commons_cards_words", "huey_")


def _compared(name, _type, _parents) -> bool:
    return not (name or "").startswith(NOT_OURS)


def run_migrations(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=True,
        compare_type=True,
        include_name=_compared,
    )
    # SQLite cannot reflect an index on an expression, so autogenerate skips those (migration 0005 writes
    # them by hand; tests/integration/queries/test_listing.py fails when the lists stop using them).
    with context.begin_transaction(), warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression-based index")
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    from burden_tracker import create_app
    from burden_tracker.db import create_db_engine

    engine = create_db_engine(create_app().config["DATABASE_URL"])
    with engine.begin() as own_connection:
        run_migrations(own_connection)
