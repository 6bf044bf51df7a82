"""What the app's connections ask of each database's planner: no JIT compilation on PostgreSQL, whose compiling
took longer than the reports' largest queries ran (docs/performance.md), with the options an operator gives in
DATABASE_URL kept."""

import pytest
from sqlalchemy import text

from burden_tracker.db import create_db_engine


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # SQLite has no JIT
def test_the_apps_postgresql_connections_never_jit_compile_and_keep_the_operators_options(database_url):
    engine = create_db_engine(f"{database_url}?options=-c%20statement_timeout%3D12345")
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SHOW jit")).scalar_one() == "off"
            assert connection.execute(text("SHOW statement_timeout")).scalar_one() == "12345ms"
    finally:
        engine.dispose()
