"""How fast `burden-tracker import` takes a large spreadsheet, against a bare bulk insert of the same rows.

    .venv/bin/python bench/import_rows.py [ROWS [RUNS]]      (default 20,000 rows, best of 3 runs)

The same ROWS valid nominations are written three ways: .csv; .xlsx as a spreadsheet program
saves it (re-saved by LibreOffice: shared strings and a stated used range, as Excel writes them
too); and .xlsx as openpyxl writes it (every string inline, no used range), which is costlier
to read. Each is imported through the real importer into a fresh database of each kind.

The floor is a bare bulk insert of the same database rows that import wrote (the departments
it created, the nominations and their events), read back and held as plain dicts beforehand:
one Core INSERT executemany per table and a commit, into another fresh database of the same
kind. Each figure is the best of RUNS, import and floor taken in turns: this machine is shared
and noisy. Target: import <= 3 x floor. A line that misses it is followed by where the time goes,
from a pyinstrument profile saved to test-artifacts/.
"""

import csv
import gc
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.databases import KINDS, fresh_database  # noqa: E402  (after the path is set)
from burden_tracker import migrate
from burden_tracker.db import create_db_engine, open_session
from burden_tracker.models import Category, Department, Event, EventNote, Nomination, User, UserRole
from burden_tracker.services.importer import import_file
from burden_tracker.services.reference import ensure_reference_data
from burden_tracker.services.sheet_files import read_table

ROOT = Path(__file__).resolve().parent.parent
TARGET = 3.0
ARTIFACTS = ROOT / "test-artifacts"
DEPARTMENTS = ["Emergency Department", "Intensive Care Unit", "Surgery", "Pediatrics", "Oncology", "Cardiology"]
HEADERS = ["title", "description", "category", "department", "affected_role", "minutes_per_occurrence",
           "occurrences_per_week", "clinicians_affected", "requirement_source", "submitted_on", "status",
           "retired_on"]
# Tables the import writes, parents first; events are numbered by the database, as the import leaves them.
WRITTEN = (Department, Category, User, UserRole, Nomination, EventNote, Event)  # in the order they are inserted


def spreadsheet_rows(rows: int) -> list[list]:
    start = date(2025, 1, 1)
    lines = []
    for n in range(rows):
        submitted = start + timedelta(days=n % 600)
        retired = n % 3 == 0
        lines.append([f"Burden number {n}", "Charted twice, read by nobody.", "documentation",
                      DEPARTMENTS[n % len(DEPARTMENTS)], "nurse", 0.5 + n % 7, 12 + n % 30, 10 + n % 500,
                      "internal policy", submitted, "retired" if retired else "proposed",
                      submitted + timedelta(days=30) if retired else None])
    return lines


def write_openpyxl(path: Path, lines: list[list]) -> Path:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Nominations")
    sheet.append(HEADERS)
    for line in lines:
        sheet.append(line)
    book.save(path)
    return path


def write_csv(path: Path, lines: list[list]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerows(["" if v is None else v.isoformat() if isinstance(v, date) else v for v in line]
                         for line in lines)
    return path


def resave_with_libreoffice(workbook: Path, folder: Path) -> Path | None:
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    out = folder / "libreoffice"
    subprocess.run([soffice, f"-env:UserInstallation=file://{folder / 'lo-profile'}", "--headless", "--norestore",
                    "--convert-to", "xlsx", "--outdir", str(out), str(workbook)],
                   check=True, capture_output=True, timeout=300)
    return out / workbook.name


def _fresh(kind: str, folder: Path):
    return fresh_database(kind, Path(tempfile.mkdtemp(dir=folder)))  # a SQLite file of its own each time


def _ready_engine(url: str):
    engine = create_db_engine(url)
    migrate.upgrade(engine)
    with open_session(engine) as session:
        ensure_reference_data(session=session)
        session.commit()
    return engine


def _high_water(session) -> dict:
    return {model: session.scalar(select(func.coalesce(func.max(model.user_id if model is UserRole else model.id),
                                                       0))) for model in WRITTEN}


def _rows_written(session, before: dict) -> dict:
    """Every row the import added, as plain dicts."""
    written = {}
    for model in WRITTEN:
        key = model.user_id if model is UserRole else model.id
        rows = [dict(row) for row in session.execute(select(model.__table__).where(key > before[model])
                                                     .order_by(key)).mappings()]
        if model is Event:
            rows = [{k: v for k, v in row.items() if k != "id"} for row in rows]
        written[model] = rows
    return written


def run_import(kind: str, path: Path, rows: int, folder: Path, profiler=None) -> tuple[float, dict]:
    with _fresh(kind, folder) as url:
        engine = _ready_engine(url)
        try:
            with open_session(engine) as session:
                before = _high_water(session)
                session.rollback()
                if profiler:
                    profiler.start()
                started = time.perf_counter()
                report = import_file(session=session, path=path, create_missing=True)
                seconds = time.perf_counter() - started
                if profiler:
                    profiler.stop()
                assert report.ok and report.imported == rows, report.errors[:3]
                written = _rows_written(session, before)
                assert len(written[Nomination]) == rows <= len(written[Event])  # decided rows: a move each too
        finally:
            engine.dispose()
    return seconds, written


def run_floor(kind: str, written: dict, folder: Path) -> float:
    with _fresh(kind, folder) as url:
        engine = _ready_engine(url)
        try:
            with engine.connect() as connection:
                started = time.perf_counter()
                for model, rows in written.items():
                    if rows:
                        connection.execute(insert(model.__table__), rows)
                connection.commit()
                return time.perf_counter() - started
        finally:
            engine.dispose()


def measure(kind: str, path: Path, rows: int, folder: Path, runs: int) -> tuple[float, float]:
    """The best of several runs of the import and of its floor, taken in turns so that both meet the same noise."""
    imports, floors = [], []
    for _ in range(runs):
        seconds, written = run_import(kind, path, rows, folder)
        imports.append(seconds)
        floors.append(run_floor(kind, written, folder))
    return min(imports), min(floors)


def explain(kind: str, form: str, path: Path, seconds: float, floor: float, rows: int, folder: Path) -> None:
    """Say where the time of an import that missed its target goes, and save its profile."""
    from pyinstrument import Profiler

    reading = min(_time_reading(path) for _ in range(3))
    profiler = Profiler(interval=0.001)
    run_import(kind, path, rows, folder, profiler)
    ARTIFACTS.mkdir(exist_ok=True)
    saved = ARTIFACTS / f"import-profile-{kind}-{form}.txt"
    saved.write_text(profiler.output_text(unicode=True, color=False))
    root = profiler.last_session.root_frame()
    total = root.time
    print(f"    why: reading the file alone (read_table, best of 3) takes {reading:.2f} s, {reading / floor:.1f} x the "
          f"floor, leaving {TARGET - reading / floor:.1f} x for checking and writing the rows, which took "
          f"{seconds - reading:.2f} s ({(seconds - reading) / floor:.1f} x)")
    if path.suffix == ".xlsx":
        opening = min(_time_opening(path) for _ in range(3))
        print(f"    of the reading, opening the workbook (openpyxl's load_workbook) takes {opening:.2f} s: a sheet "
              "that states no used range, as openpyxl's write-only mode leaves it, is parsed whole to look for one "
              "before its rows are read")
    print(f"    profile: {saved.relative_to(ROOT)} ({total:.2f} s under the profiler); steps: "
          + ", ".join(f"{name} {t / total:.0%}" for name, t in _steps(root)[:5]))
    print("    self time by package: " + ", ".join(
        f"{name} {t / total:.0%}" for name, t in _self_time_by_package(root)[:5]), flush=True)


def _time_reading(path: Path) -> float:
    started = time.perf_counter()
    read_table(path)
    return time.perf_counter() - started


def _time_opening(path: Path) -> float:
    gc.disable()  # as read_table has it
    try:
        started = time.perf_counter()
        load_workbook(path, read_only=True, data_only=True).close()
        return time.perf_counter() - started
    finally:
        gc.enable()


def _steps(root) -> list[tuple[str, float]]:
    """The importer's own steps under import_file, with import_table opened up."""
    found = _find(root, "import_file")
    if found is None:
        return []
    steps: dict[str, float] = {}
    for child in _unwrapped(found.children):
        for frame in _unwrapped(child.children) if child.function == "import_table" else [child]:
            if not frame.is_synthetic:
                steps[frame.function] = steps.get(frame.function, 0.0) + frame.time
    return sorted(((name, t) for name, t in steps.items() if t >= 0.01), key=lambda step: -step[1])


def _unwrapped(frames):
    """The frames, with contextlib's decorator wrappers (the importer pauses the cycle collector) opened up."""
    for frame in frames:
        if (frame.file_path or "").endswith("contextlib.py"):
            yield from _unwrapped(frame.children)
        else:
            yield frame


def _find(frame, function: str):
    if frame.function == function:
        return frame
    for child in frame.children:
        if (hit := _find(child, function)) is not None:
            return hit
    return None


def _self_time_by_package(root) -> list[tuple[str, float]]:
    totals: dict[str, float] = {}
    stack = [(root, "other")]
    while stack:
        frame, inherited = stack.pop()
        package = _package(frame.file_path) or inherited
        totals[package] = totals.get(package, 0.0) + frame.total_self_time
        stack.extend((child, package) for child in frame.children if not child.is_synthetic)
    return sorted(totals.items(), key=lambda item: -item[1])


def _package(path: str | None) -> str | None:
    if not path:
        return None
    parts = Path(path).parts
    if "site-packages" in parts:
        return parts[parts.index("site-packages") + 1].removesuffix(".py")
    if "burden_tracker" in parts:
        return "burden_tracker"
    if "<" in path:
        return None  # built-ins count with their caller
    return f"python:{Path(path).stem}"


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        lines = spreadsheet_rows(rows)
        by_openpyxl = write_openpyxl(folder / "nominations.xlsx", lines)
        inputs = {"csv": write_csv(folder / "nominations.csv", lines),
                  "xlsx": resave_with_libreoffice(by_openpyxl, folder),
                  "xlsx-openpyxl": by_openpyxl}
        print(f"{'database':<10}  {'format':<13}  {'rows':>6}  {'import s':>8}  {'rows/s':>7}  {'floor s':>7}  "
              f"{'ratio':>5}  target", flush=True)
        for kind in KINDS:
            for form, path in inputs.items():
                if path is None:
                    print(f"{kind:<10}  {form:<13}  skipped: no soffice to save the workbook as a spreadsheet "
                          "program does", flush=True)
                    continue
                seconds, floor = measure(kind, path, rows, folder, runs)
                ratio = seconds / floor
                print(f"{kind:<10}  {form:<13}  {rows:>6,}  {seconds:>8.2f}  {rows / seconds:>7,.0f}  {floor:>7.2f}  "
                      f"{ratio:>5.2f}  <= {TARGET:g}{'' if ratio <= TARGET else '  MISSED'}", flush=True)
                if ratio > TARGET:
                    explain(kind, form, path, seconds, floor, rows, folder)


if __name__ == "__main__":
    main()
