"""How the quarterly workbook scales: time and peak memory at 10,000 and 100,000 nominations.

    .venv/bin/python bench/export_workbook.py [NOMINATIONS ...]      (default 10000 100000)

For each size it builds a SQLite program (bench/dataset.py), then, each in a fresh process:
- writes the last full quarter's workbook through the real export (burden_tracker.export);
- writes the floor: bare openpyxl in write-only mode appending the same number of rows and
  columns per sheet, with values of the same kinds, and nothing else.
It prints seconds, peak RSS and the ratio of the export to the floor.
"""

import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.databases import KINDS, fresh_database  # noqa: E402  (after the path is set)


def main(sizes: list[int]) -> None:
    print(f"{'database':<10}  {'nominations':>11}  {'build s':>7}  {'rows':>7}  {'export s':>8}  {'floor s':>7}  "
          f"{'ratio':>5}  {'export MB':>9}  {'floor MB':>8}")
    for kind in KINDS:
        for size in sizes:
            with tempfile.TemporaryDirectory() as folder, fresh_database(kind, Path(folder)) as url:
                started = time.perf_counter()
                _child("build", url, str(size))
                built = time.perf_counter() - started
                export = _child("export", url, f"{folder}/export.xlsx")
                floor = _child("floor", url, f"{folder}/floor.xlsx")
                print(f"{kind:<10}  {size:>11,}  {built:>7.1f}  {export['rows']:>7,}  {export['seconds']:>8.1f}  "
                      f"{floor['seconds']:>7.1f}  {export['seconds'] / floor['seconds']:>5.2f}  "
                      f"{export['peak_mb']:>9.0f}  {floor['peak_mb']:>8.0f}", flush=True)


def _child(task: str, *args: str) -> dict:
    output = subprocess.run([sys.executable, __file__, "--child", task, *args], check=True,
                            capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1]) if task != "build" else {}


def _run_child(task: str, url: str, argument: str) -> None:
    from burden_tracker import migrate
    from burden_tracker.db import create_db_engine, open_session
    from burden_tracker.hours import Quarter
    from burden_tracker.services.report_rows import row_counts

    engine = create_db_engine(url)
    if task == "build":
        from bench.dataset import build

        migrate.upgrade(engine)
        build(engine, nominations=int(argument))
        if engine.dialect.name == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("ANALYZE")  # as autovacuum soon would after a bulk load
        return
    quarter = Quarter.containing(date.today()).previous()
    with open_session(engine, read_only=True) as session:
        rows = row_counts(session=session, quarter=quarter)
        if task == "export":
            from burden_tracker.export import write_workbook

            started = time.perf_counter()
            write_workbook(session=session, quarter=quarter, destination=argument, generated_by="bench")
        else:
            counts = _sheet_rows(session, quarter)
            started = time.perf_counter()
            _bare_openpyxl(counts, argument)
        seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_mb": peak_mb}))


def _sheet_rows(session, quarter) -> dict[str, int]:
    from burden_tracker.services import report_rows

    return {
        "Retired": _count(report_rows.retired_rows(session=session, quarter=quarter)),
        "Pipeline": _count(report_rows.pipeline_rows(session=session, quarter=quarter)),
        "Decisions": _count(report_rows.decision_rows(session=session, quarter=quarter)),
    }


def _bare_openpyxl(counts: dict[str, int], path: str) -> None:
    """The same sheets, rows and columns as the export, values of the same kinds, nothing else."""
    from openpyxl import Workbook

    from burden_tracker import export

    columns = {"Retired": export.RETIRED, "Pipeline": export.PIPELINE, "Decisions": export.DECISIONS}
    sample = {"text": "A burden title of a usual length, typed by someone", "date": date(2026, 7, 1),
              "datetime": date(2026, 7, 1)}
    book = Workbook(write_only=True)
    book.create_sheet("Summary").append(["Summary"])
    for title, count in counts.items():
        sheet = book.create_sheet(title)
        sheet.append([column.header for column in columns[title]])
        row = [sample.get(column.kind, 12.5) for column in columns[title]]
        for _ in range(count):
            sheet.append(row)
    for title in ("By department", "By category", "Assumptions"):
        book.create_sheet(title).append([title])
    book.save(path)


def _count(rows) -> int:
    return sum(1 for _ in rows)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        _run_child(*sys.argv[2:5])
    else:
        main([int(arg) for arg in sys.argv[1:]] or [10_000, 100_000])
