"""The work a query does, counted rather than timed, which is steady on a busy machine: SQLite's virtual-machine
steps, and the rows PostgreSQL's plans actually read from the nominations table (EXPLAIN ANALYZE). The tests count
the busiest pages' work at 2,000 and 16,000 nominations (tests/support/work.py); bench/million.py at a thousand
and a million."""

import json

from sqlalchemy import event


def statements_of(engine, ask, table: str = "nominations") -> list[tuple]:
    """The SELECTs reading the table that `ask()` sends through the engine, with their parameters."""
    statements = []

    def keep(_conn, _cursor, statement, parameters, _context, _many):
        if statement.lstrip().upper().startswith(("SELECT", "(SELECT")) and table in statement:
            statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        ask()
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    return statements


def work_of_statements(engine, statements: list[tuple], table: str = "nominations") -> float:
    """SQLite: virtual-machine steps (in thousands). PostgreSQL: rows read by the plans' scans of the table."""
    with engine.connect() as connection:
        cursor = connection.connection.dbapi_connection.cursor()
        if engine.dialect.name == "sqlite":
            return _sqlite_steps(connection.connection.dbapi_connection, cursor, statements)
        return sum(_rows_read(cursor, statement, parameters, table) for statement, parameters in statements)


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


def _rows_read(cursor, statement: str, parameters, table: str) -> int:
    cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}", parameters)
    plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return max(_scanned(plan[0]["Plan"], table), 1)


def _scanned(node: dict, table: str) -> int:
    """Rows the scans of the table returned or threw away, over all their loops."""
    read = 0
    if node.get("Relation Name") == table:
        read = (node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)) * node.get("Actual Loops", 1)
    return read + sum(_scanned(child, table) for child in node.get("Plans", []))
