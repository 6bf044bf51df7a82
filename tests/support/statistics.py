"""Whether the planner has statistics of the nominations table: SQLite's sqlite_stat1 rows, PostgreSQL's last
ANALYZE of it by hand. The test databases outlive a test, so a test forgets them first."""

from sqlalchemy import text


def forget_statistics(engine) -> None:
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_stat_reset_single_table_counters('nominations'::regclass)"))
        elif _has_statistics_table(connection):
            connection.execute(text("DELETE FROM sqlite_stat1"))


def nominations_analyzed(engine) -> bool:
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            return connection.execute(text("SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables "
                                           "WHERE relname = 'nominations'")).scalar_one()
        return _has_statistics_table(connection) and bool(connection.execute(text(
            "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'nominations'")).scalar_one())


def _has_statistics_table(connection) -> bool:
    return bool(connection.execute(text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"))
                .scalar_one())
