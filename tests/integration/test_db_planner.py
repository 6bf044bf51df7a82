"""What the app's connections ask of each database's planner: no JIT compilation on PostgreSQL, whose compiling
took longer than the reports' largest queries ran (docs/performance.md)."""

import pytest
from sqlalchemy import text

from burden_tracker.db import create_db_engine


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # SQLite has no JIT
def test_the_apps_postgresql_connections_never_jit_compile(database_url):
    engine = create_db_engine(database_url)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SHOW jit")).scalar_one() == "off"
    finally:
        engine.dispose()
