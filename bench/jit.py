"""PostgreSQL's JIT compilation on the reports' heaviest queries: counting a program's kept figures and a quarter's
figures from the whole history, with the app's setting (jit off) and with the server's default (jit on), in turns.

    .venv/bin/python bench/jit.py [NOMINATIONS]      (default 100000)

The app turns JIT off on its connections (db.create_db_engine); this shows what that choice saves, or costs. The
pages never reach JIT's threshold; these queries, which read every nomination, are the ones that do.
"""

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.databases import fresh_database  # noqa: E402  (after the path is set)
from bench.dataset import build  # noqa: E402
from burden_tracker import migrate  # noqa: E402
from burden_tracker.db import create_db_engine, open_session  # noqa: E402
from burden_tracker.queries import reporting  # noqa: E402
from burden_tracker.queries.figure_shares import counted_afresh  # noqa: E402
from burden_tracker.queries.reference import organization_today  # noqa: E402

RUNS = 3


def main(size: int) -> None:
    with tempfile.TemporaryDirectory() as folder, fresh_database("postgresql", Path(folder), "jit") as url:
        engine = create_db_engine(url)
        migrate.upgrade(engine)
        build(engine, nominations=size)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
        engine.dispose()
        engines = {"jit off (the app's)": create_db_engine(url),
                   "jit on (the server's default)": create_db_engine(url, connect_args={"options": "-c jit=on"})}
        tasks = {"counting the kept figures of eight quarters": _count_kept,
                 "a quarter's figures from the whole history": _quarter_figures}
        print(f"{'at ' + format(size, ','):<14}  {'task':<46}  " + "  ".join(f"{name:>30}" for name in engines))
        for task, run in tasks.items():
            times = {name: [] for name in engines}
            for _ in range(RUNS):
                for name, each in engines.items():
                    with open_session(each, read_only=True) as session:
                        started = time.perf_counter()
                        run(session)
                        times[name].append(time.perf_counter() - started)
            print(f"{'':<14}  {task:<46}  " + "  ".join(f"{statistics.median(taken):>29.2f}s"
                                                         for taken in times.values()), flush=True)
        for each in engines.values():
            each.dispose()


def _count_kept(session) -> None:
    quarters = reporting.current_quarter(session=session).last(reporting.HISTORY_QUARTERS)
    counted_afresh(session=session, quarters=quarters)


def _quarter_figures(session) -> None:
    today = organization_today(session=session)
    reporting.quarter_figures(session=session, quarter=reporting.current_quarter(session=session).previous(),
                              today=today)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
