"""A page of /nominations or /board does the same work however large the program grows.

Time is measured in bench/; here the work is counted, which is steady on a busy machine: SQLite's
virtual-machine steps, and the rows PostgreSQL's plan actually reads (EXPLAIN ANALYZE). Each list
is asked for at 2,000 nominations and again after the table has grown eightfold.
"""

import json
from datetime import date

from sqlalchemy import event, text
from sqlmodel import Session

from bench.dataset import build
from burden_tracker.enums import State
from burden_tracker.queries import listing
from burden_tracker.queries.listing import Filters
from burden_tracker.workflow import OPEN_STATES

GROWTH = 8
MOST_EXTRA_WORK = 1.5  # the work at eight times the rows, over the work before


def lists(department_id: int, category_id: int) -> dict[str, Filters]:
    """The pages' defaults and the filters the board uses most. A search by a word is left out: it reads on
    until it has found a page of matches, so a rare word reads more of a larger table."""
    return {
        "browse, newest": Filters(),
        "browse, proposed in one department, most hours": Filters(
            states=frozenset({State.PROPOSED}), department_id=department_id, sort="hours"),
        "board, open, most hours": Filters(states=OPEN_STATES, sort="hours"),
        "board, open in one department, overdue, most supporters": Filters(
            states=OPEN_STATES, department_id=department_id, age="overdue", sort="supporters"),
        "board, open, overdue, most hours": Filters(states=OPEN_STATES, age="overdue", sort="hours"),
        "board, open in one category, most supporters": Filters(
            states=OPEN_STATES, category_id=category_id, sort="supporters"),
        "board, open at the first site, most hours": Filters(states=OPEN_STATES, site_id=1, sort="hours"),
    }


# The counts stop at COUNT_LIMIT per state; within one department the smaller states stay under it here,
# and are counted whole, so only the program-wide counts are held to the same work.
COUNTED_WHOLE_PROGRAM = ("browse, newest", "board, open, most hours", "board, open, overdue, most hours",
                         "board, open at the first site, most hours")


def test_a_page_and_its_counts_do_not_grow_with_the_table(engine, monkeypatch):
    monkeypatch.setattr(listing, "COUNT_LIMIT", 100)  # reached at both sizes, as 1,000 is in a large program
    build(engine, nominations=2_000, today=date(2026, 11, 2))
    busiest = _busiest(engine, "department_id"), _busiest(engine, "category_id")
    before = _work_of_each_list(engine, *busiest)
    _grow(engine, GROWTH)
    after = _work_of_each_list(engine, *busiest)
    grown = {name: round(after[name] / before[name], 2) for name in before}
    assert all(ratio <= MOST_EXTRA_WORK for ratio in grown.values()), grown


def _work_of_each_list(engine, department_id: int, category_id: int) -> dict[str, float]:
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE nominations")  # as autovacuum keeps it
    work = {}
    for name, filters in lists(department_id, category_id).items():
        work[f"{name}: page"] = _work(engine, lambda session, filters=filters: _page(session, filters))
        if name in COUNTED_WHOLE_PROGRAM:
            work[f"{name}: counts"] = _work(engine, lambda session, filters=filters: _counts(session, filters))
    return work


def _page(session: Session, filters: Filters):
    return listing.list_nominations(session=session, page=1, per_page=25, filters=filters, today=date(2026, 11, 2))


def _counts(session: Session, filters: Filters):
    return listing.count_by_state(session=session, filters=filters, today=date(2026, 11, 2))


def _work(engine, ask) -> float:
    """SQLite: virtual-machine steps (in thousands). PostgreSQL: rows read by the plans' scans."""
    statements = []

    def keep(_conn, _cursor, statement, parameters, _context, _many):
        if statement.lstrip().upper().startswith("SELECT") and "nominations" in statement:
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


def _busiest(engine, column: str) -> int:
    """The department (or category) with the most nominations."""
    with engine.connect() as connection:
        return connection.execute(text(f"SELECT {column} FROM nominations GROUP BY {column} "
                                       f"ORDER BY count(*) DESC, {column} LIMIT 1")).scalar_one()


def _grow(engine, times: int) -> None:
    """Copies of every nomination (same states, departments, dates and estimates): `times` as many in all."""
    columns = ("title, description, category_id, department_id, affected_role, minutes_per_occurrence, "
               "occurrences_per_week, clinicians_affected, requirement_source, anonymous, submitter_id, "
               "submitted_on, board_minutes_per_occurrence, board_occurrences_per_week, board_clinicians_affected, "
               "state, owner_id, retired_on, version, created_at, updated_at")
    with engine.begin() as connection:
        original = connection.execute(text("SELECT max(id) FROM nominations")).scalar_one()
        for _ in range(times - 1):
            connection.execute(text(f"INSERT INTO nominations ({columns}) SELECT {columns} FROM nominations "
                                    "WHERE id <= :original"), {"original": original})

