"""What PostgreSQL's planner would do with a query, for tests that keep an index in use."""

from sqlalchemy import text


def plan_without_sequential_scans(session, query) -> str:
    """EXPLAIN of the query with its values written in, sequential scans discouraged: a test's tables are small,
    and the planner would otherwise read them whole whatever indexes there are. The transaction is rolled back."""
    sql = query.compile(dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True})
    session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(session.scalars(text(f"EXPLAIN {sql}")))
    session.rollback()
    return plan
