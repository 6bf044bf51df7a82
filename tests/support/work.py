"""The work a page's queries do, counted rather than timed, which is steady on a busy machine: SQLite's
virtual-machine steps, and the rows PostgreSQL's plans actually read from the nominations table (EXPLAIN ANALYZE).
A test asks at 2,000 nominations (bench/dataset.py), grows the table eightfold, and asks again."""

import json

from sqlalchemy import event, text
from sqlmodel import Session

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
    """SQLite: virtual-machine steps (in thousands). PostgreSQL: rows read by the plans' scans of nominations."""
    statements = []

    def keep(_conn, _cursor, statement, parameters, _context, _many):
        if statement.lstrip().upper().startswith(("SELECT", "(SELECT")) and "nominations" in statement:
            statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        with Session(engine) as session:
            ask(session)
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    with engine.connect() as connection:
        cursor = connection.connection.dbapi_connection.cursor()
        if engine.dialect.name == "sqlite":
            return _sqlite_steps(connection.connection.dbapi_connection, cursor, statements)
        return sum(_rows_read(cursor, statement, parameters) for statement, parameters in statements)


def _sqlite_steps(dbapi_connection, cursor, statements) -> float:
    steps = [0]

    def count_thousand():
        steps[0] += 1
        return 0

    dbapi_connection.set_progress_handler(count_thousand, 1000)
    try:
        for statement, parameters in statements:
            cursor.execute(statement, parameters)
            cursor.fetchall()
    finally:
        dbapi_connection.set_progress_handler(None, 0)
    return max(steps[0], 1)


def _rows_read(cursor, statement: str, parameters) -> int:
    cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}", parameters)
    plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return max(_scanned(plan[0]["Plan"]), 1)


def _scanned(node: dict) -> int:
    """Rows the scans of nominations returned or threw away, over all their loops."""
    read = 0
    if node.get("Relation Name") == "nominations":
        read = (node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)) * node.get("Actual Loops", 1)
    return read + sum(_scanned(child) for child in node.get("Plans", []))


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

