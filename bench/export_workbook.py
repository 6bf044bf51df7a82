"""How the quarterly workbook scales: time and peak memory at 10,000 and 100,000 nominations.

    .venv/bin/python bench/export_workbook.py [--runs N] [NOMINATIONS ...]      (default 10000 100000, best of 3)

For each database (SQLite, PostgreSQL) and size it builds a program (bench/dataset.py), then, each
in a fresh process:
- writes the last full quarter's workbook through the real export (burden_tracker.export), and
  records the SELECTs that stream its row sheets (Retired, Pipeline, Decisions) as the driver got them;
- writes the floor: those very SELECTs run on a bare DB-API cursor (server-side on PostgreSQL, as
  the export's), each row appended as it comes to bare openpyxl in write-only mode, under the same
  header row, beside the small sheets with a title each. Nothing else.
Export and floor are run in turns, RUNS times each (this machine is shared and noisy); a line
gives the best seconds of each, their ratio against the target (issue 7: <= 1.3) and the export's
highest peak RSS (target: under 250 MB). A line that misses a target is followed by where the
export's time goes, from a pyinstrument profile saved to test-artifacts/.
"""

import argparse
import json
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.databases import KINDS, fresh_database  # noqa: E402  (after the path is set)

TARGET_RATIO, TARGET_MB = 1.3, 250  # issue 7
ARTIFACTS = ROOT / "test-artifacts"
ROW_SHEETS = ("Retired", "Pipeline", "Retiring soon", "Decisions")  # in the order the export streams them
SHEETS = ("Summary", "Retired", "Pipeline", "Retiring soon", "By department", "By category", "Decisions",
          "Assumptions")


def main(sizes: list[int], runs: int) -> None:
    print(f"{'database':<10}  {'nominations':>11}  {'rows':>7}  {'export s':>8}  {'floor s':>7}  {'ratio':>5}  "
          f"{'target':>6}  {'peak MB':>7}  {'floor MB':>8}")
    for kind in KINDS:
        for size in sizes:
            with tempfile.TemporaryDirectory() as folder, fresh_database(kind, Path(folder)) as url:
                _child("build", url, str(size))
                exports, floors = [], []
                for _ in range(runs):
                    exports.append(_child("export", url, folder))
                    floors.append(_child("floor", url, folder))
                seconds, floor = min(e["seconds"] for e in exports), min(f["seconds"] for f in floors)
                peak_mb = max(e["peak_mb"] for e in exports)
                ratio = seconds / floor
                missed = ratio > TARGET_RATIO or peak_mb >= TARGET_MB
                print(f"{kind:<10}  {size:>11,}  {exports[0]['rows']:>7,}  {seconds:>8.1f}  {floor:>7.1f}  "
                      f"{ratio:>5.2f}  {'<= ' + str(TARGET_RATIO):>6}  {peak_mb:>7.0f}  "
                      f"{max(f['peak_mb'] for f in floors):>8.0f}{'  MISSED' if missed else ''}", flush=True)
                if missed:
                    profile = _child("profile", url, str(ARTIFACTS / f"export-profile-{kind}-{size}.txt"))
                    print(f"    profile: {profile['path']} ({profile['seconds']:.1f} s under the profiler)")
                    print("    steps: " + ", ".join(profile["steps"]))
                    print("    self time: " + ", ".join(profile["self_time"]), flush=True)


def _child(task: str, *args: str) -> dict:
    output = subprocess.run([sys.executable, __file__, "--child", task, *args], check=True,
                            capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1]) if task != "build" else {}


def _run_child(task: str, url: str, argument: str) -> None:
    from burden_tracker import migrate
    from burden_tracker.db import create_db_engine, open_session
    from burden_tracker.hours import Quarter
    from burden_tracker.queries.report_rows import row_counts

    engine = create_db_engine(url)
    if task == "build":
        from bench.dataset import build

        migrate.upgrade(engine)
        build(engine, nominations=int(argument))
        if engine.dialect.name == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("ANALYZE")  # as autovacuum soon would after a bulk load
        return
    folder = Path(argument)
    quarter = Quarter.containing(date.today()).previous()
    if task == "profile":
        with open_session(engine, read_only=True) as session:
            print(json.dumps(_profile(session, quarter, Path(argument))))
        return
    if task == "export":
        from burden_tracker.export import write_workbook

        with open_session(engine, read_only=True) as session:
            rows = row_counts(session=session, quarter=quarter)
            with _streamed_selects(engine) as statements:
                started = time.perf_counter()
                write_workbook(session=session, quarter=quarter, destination=folder / "export.xlsx",
                               generated_by="bench")
                seconds = time.perf_counter() - started
        if len(statements) != len(ROW_SHEETS):
            raise SystemExit(f"expected {len(ROW_SHEETS)} streamed SELECTs, the export ran {len(statements)}")
        (folder / "statements.pickle").write_bytes(pickle.dumps(dict(zip(ROW_SHEETS, statements, strict=True))))
    else:
        statements = pickle.loads((folder / "statements.pickle").read_bytes())
        rows = 0
        started = time.perf_counter()
        _bare_openpyxl(engine, statements, folder / "floor.xlsx")
        seconds = time.perf_counter() - started
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_mb": _peak_mb()}))


def _peak_mb() -> float:
    """This process's peak resident memory since it began running this program. Linux keeps ru_maxrss across
    exec, so a child of a large process (bench/million.py) would report its parent's; VmHWM is the new image's."""
    with open("/proc/self/status") as status:
        peak = next((line for line in status if line.startswith("VmHWM:")), None)
    return int(peak.split()[1]) / 1024 if peak else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _streamed_selects:
    """Records (statement, parameters) of every streamed SELECT, as handed to the DB-API cursor."""

    def __init__(self, engine):
        self.engine, self.statements = engine, []

    def __enter__(self) -> list:
        from sqlalchemy import event

        event.listen(self.engine, "before_cursor_execute", self._record)
        return self.statements

    def __exit__(self, *_exc) -> None:
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._record)

    def _record(self, _connection, _cursor, statement, parameters, context, _executemany) -> None:
        if context is not None and context.execution_options.get("stream_results"):
            self.statements.append((statement, parameters))


def _bare_openpyxl(engine, statements: dict, path: Path) -> None:
    """The export's row-sheet SELECTs, each row appended unchanged by bare openpyxl in write-only mode."""
    from openpyxl import Workbook

    from burden_tracker import export
    from burden_tracker.queries.report_rows import BATCH

    headers = {"Retired": export.RETIRED, "Pipeline": export.PIPELINE, "Retiring soon": export.RETIRING_SOON,
               "Decisions": export.DECISIONS}
    connection = engine.raw_connection()
    book = Workbook(write_only=True)
    for title in SHEETS:
        sheet = book.create_sheet(title)
        if title not in statements:
            sheet.append([title])
            continue
        sheet.append([column.header for column in headers[title]])
        statement, parameters = statements[title]
        # Server-side on PostgreSQL, as the export's yield_per is; SQLite's cursor steps through rows anyway.
        cursor = (connection.driver_connection.cursor(name=f"floor_{title.lower().replace(' ', '_')}")
                  if engine.dialect.name == "postgresql" else connection.cursor())
        cursor.execute(statement, parameters)
        zoned = None
        while batch := cursor.fetchmany(BATCH):
            zoned = _zoned(batch[0]) if zoned is None else zoned
            for row in batch:
                sheet.append(_naive(row, zoned) if zoned else row)
        cursor.close()
    book.save(path)
    connection.close()


def _profile(session, quarter, path: Path) -> dict:
    """Profile one export; save the profile as text and name its five costliest steps and functions."""
    from pyinstrument import Profiler

    from burden_tracker.export import write_workbook

    with tempfile.TemporaryDirectory() as folder:
        profiler = Profiler(interval=0.001)
        profiler.start()
        write_workbook(session=session, quarter=quarter, destination=Path(folder) / "export.xlsx",
                       generated_by="bench")
        profiler.stop()
    path.parent.mkdir(exist_ok=True)
    path.write_text(profiler.output_text(unicode=True, color=False))
    root = profiler.last_session.root_frame()
    export = _find(root, "write_workbook")
    steps: dict[str, float] = {}
    for step in export.children:  # the export's own steps, with the row sheets' filling opened up
        for frame in step.children if step.function == "_fill" else [step]:
            if not frame.is_synthetic:
                steps[_name(frame)] = steps.get(_name(frame), 0.0) + frame.time
    functions: dict[str, float] = {}
    stack = [export]
    while stack:
        frame = stack.pop()
        if not frame.is_synthetic:
            name = f"{_name(frame)} ({Path(frame.file_path or '?').name})"
            functions[name] = functions.get(name, 0.0) + frame.total_self_time
            stack.extend(frame.children)
    return {"path": str(path.relative_to(ROOT)), "seconds": export.time,
            "steps": _top(steps, export.time), "self_time": _top(functions, export.time)}


def _name(frame) -> str:
    return f"{frame.class_name}.{frame.function}" if frame.class_name else frame.function


def _find(frame, function: str):
    if frame.function == function:
        return frame
    return next((hit for child in frame.children if (hit := _find(child, function)) is not None), None)


def _top(costs: dict[str, float], total: float) -> list[str]:
    return [f"{name} {seconds / total:.0%}" for name, seconds in sorted(costs.items(), key=lambda c: -c[1])[:5]]


def _zoned(row: tuple) -> list[int]:
    """The columns holding times with a zone: openpyxl refuses them, and PostgreSQL hands timestamptz
    back with one (UTC, the server's zone here)."""
    return [index for index, value in enumerate(row) if isinstance(value, datetime) and value.tzinfo]


def _naive(row: tuple, zoned: list[int]) -> list:
    row = list(row)
    for index in zoned:
        row[index] = row[index].replace(tzinfo=None)
    return row


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        _run_child(*sys.argv[2:5])
    else:
        parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
        parser.add_argument("--runs", type=int, default=3, help="runs of the export and of its floor, in turns")
        parser.add_argument("nominations", type=int, nargs="*", default=[10_000, 100_000])
        arguments = parser.parse_args()
        main(arguments.nominations, arguments.runs)
