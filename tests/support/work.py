"""The work a page's queries do, counted rather than timed (bench/work.py), which is steady on a busy machine. A
test asks at 2,000 nominations (bench/dataset.py), grows the table eightfold, and asks again."""

from sqlalchemy import text
from sqlmodel import Session

from bench.work import statements_of, work_of_statements
from burden_tracker.db import refresh_statistics

GROWTH = 8
MOST_EXTRA_WORK = 1.5  # the work at eight times the rows, over the work before


def as_the_app_keeps_them(engine) -> None:
    """The planner's statistics as they are kept in use: by the worker's daily refresh on SQLite, and by
    autovacuum on PostgreSQL, which also marks the pages all visible that index-only scans rely on."""
    if engine.dialect.name == "sqlite":
        refresh_statistics(engine)
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")


def work_of(engine, ask) -> float:
    """The work of what `ask(session)` reads from nominations (bench/work.py)."""
    def asked():
        with Session(engine) as session:
            ask(session)

    return work_of_statements(engine, statements_of(engine, asked))


def busiest(engine, column: str) -> int:
    """The department (or category) with the most nominations."""
    with engine.connect() as connection:
        return connection.execute(text(f"SELECT {column} FROM nominations GROUP BY {column} "
                                       f"ORDER BY count(*) DESC, {column} LIMIT 1")).scalar_one()


def grow(engine, times: int, submitters: bool = True) -> None:
    """Copies of every nomination (same states, departments, dates and estimates): `times` as many in all. Without
    `submitters` the copies have none, so that a person's own nominations stay as many."""
    columns = ("title, description, category_id, department_id, affected_role, minutes_per_occurrence, "
               "occurrences_per_week, clinicians_affected, requirement_source, anonymous, submitter_id, "
               "submitted_on, board_minutes_per_occurrence, board_occurrences_per_week, board_clinicians_affected, "
               "state, owner_id, retired_on, version, created_at, updated_at")
    with engine.begin() as connection:
        original = connection.execute(text("SELECT max(id) FROM nominations")).scalar_one()
        copied = columns if submitters else columns.replace("submitter_id", "NULL")
        for _ in range(times - 1):
            connection.execute(text(f"INSERT INTO nominations ({columns}) SELECT {copied} FROM nominations "
                                    "WHERE id <= :original"), {"original": original})

