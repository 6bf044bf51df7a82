"""A program of a million nominations on PostgreSQL: each busy page's server time at 1,000,000 against 1,000, what
building and keeping such a program costs, and the quarter's workbook at that size.

    .venv/bin/python bench/million.py [LARGE]      (default 1000000; `make bench-million`)

Both programs are built by bench/dataset.py in databases of their own, vacuumed and analyzed as autovacuum would,
their kept figures counted and every past quarter closed, as a program a decade old would have them. A bench board
member, who also submitted 40 of the nominations and supports 20 more at both sizes, is signed in to each. Each
page is then timed in this process (routing, queries, templates), the two sizes taking turns request by request:
the median of REPEAT requests. Target (issue 24): at most 1.5 times the time at 1,000 for every page. Beside the
times, the rows of nominations the page's plans read at each size (EXPLAIN ANALYZE, bench/work.py): the planner's
choices, counted rather than timed.

Last, the last full quarter's workbook is written from the large program in a process of its own
(bench/export_workbook.py's child), and its time, rows and peak memory printed (target: under 250 MB).
"""

import json
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from bench.databases import fresh_database  # noqa: E402
from bench.dataset import build  # noqa: E402
from bench.pages import Asking, bench_user, close_past_quarters, side_by_side, signed_in  # noqa: E402
from bench.work import statements_of, work_of_statements  # noqa: E402
from burden_tracker import create_app, migrate  # noqa: E402
from burden_tracker.db import create_db_engine, open_session  # noqa: E402
from burden_tracker.queries.reference import organization_today  # noqa: E402
from burden_tracker.services.keeping import keep_current_quarters  # noqa: E402

SMALL = 1_000
REPEAT = 9
TARGET, TARGET_MB = 1.5, 250
PAGES = {
    "/nominations": "/nominations",
    "/nominations?q=fax": "/nominations?q=fax",
    "/nominations?state=proposed&sort=hours": "/nominations?state=proposed&sort=hours",
    "/board": "/board",
    "/board?age=overdue": "/board?age=overdue",
    "one nomination": "/nominations/{open}",
    "/wins": "/wins",
    "/mine": "/mine",
    "/dashboard, past closed": "/dashboard",
    "/dashboard one site, past closed": "/dashboard?site=2",
}
EXPORT = Path(__file__).resolve().parent / "export_workbook.py"


def main(large: int) -> int:
    missed = 0
    with ExitStack() as stack:
        programs = {size: stack.enter_context(_program(size)) for size in (SMALL, large)}
        print(f"\n{'page':<40}  {SMALL:>9,}  {large:>11,}  {'ratio':>6}  target   rows read: {SMALL:,}, "
              f"{large:,}", flush=True)
        for page, path in PAGES.items():
            paths = {size: path.format(open=program.open_id) for size, program in programs.items()}
            timings = _timed(programs, paths)
            ratio = timings[large] / timings[SMALL]
            missed |= ratio > TARGET
            read = {size: _rows_read(program, paths[size]) for size, program in programs.items()}
            print(f"{page:<40}  {timings[SMALL] * 1000:>7.1f}ms  {timings[large] * 1000:>9.1f}ms  {ratio:>6.2f}  "
                  f"<= {TARGET}  {read[SMALL]:>8,.0f}  {read[large]:>10,.0f}{'  MISSED' if ratio > TARGET else ''}",
                  flush=True)
        workbook = _workbook(programs[large].url)
        over = workbook["peak_mb"] >= TARGET_MB
        missed |= over
        print(f"\nthe last full quarter's workbook at {large:,}: {workbook['seconds']:.0f} s, "
              f"{workbook['rows']:,} rows, peak {workbook['peak_mb']:.0f} MB (target under {TARGET_MB} MB)"
              f"{'  MISSED' if over else ''}", flush=True)
    return 1 if missed else 0


class _Program:
    def __init__(self, url: str, client, open_id: int):
        self.url, self.client, self.open_id = url, client, open_id


@contextmanager
def _program(size: int):
    with tempfile.TemporaryDirectory() as folder, fresh_database("postgresql", Path(folder), str(size)) as url:
        engine = create_db_engine(url)
        migrate.upgrade(engine)
        started = time.perf_counter()
        build(engine, nominations=size)
        built = time.perf_counter() - started
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")  # as autovacuum soon would after a bulk load
        vacuumed = time.perf_counter() - started - built
        open_id = bench_user(engine)
        with open_session(engine) as session:
            started = time.perf_counter()
            keep_current_quarters(session=session, today=organization_today(session=session))
            kept = time.perf_counter() - started
        engine.dispose()
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
        client = signed_in(app)
        started = time.perf_counter()
        closed = close_past_quarters(client)
        closing = time.perf_counter() - started
        print(f"{size:>11,} nominations: built in {built:.0f} s, vacuumed and analyzed in {vacuumed:.0f} s, kept "
              f"figures counted in {kept:.0f} s, {closed} past quarters closed in {closing:.0f} s", flush=True)
        try:
            yield _Program(url, client, open_id)
        finally:
            app.extensions["db_engine"].dispose()


def _timed(programs: dict, paths: dict) -> dict[int, float]:
    """side_by_side, each size asking its own path (the open nomination differs between programs)."""
    clients = {size: Asking(program.client, paths[size]) for size, program in programs.items()}
    return side_by_side(clients, "", REPEAT)


def _rows_read(program: _Program, path: str) -> float:
    """Rows of nominations the page's plans read, as EXPLAIN ANALYZE counts them: the planner's choices, where the
    time is the machine's too."""
    engine = program.client.application.extensions["db_engine"]
    return work_of_statements(engine, statements_of(engine, lambda: program.client.get(path)))


def _workbook(url: str) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        output = subprocess.run([sys.executable, str(EXPORT), "--child", "export", url, folder], check=True,
                                capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000))
