"""How fast `burden-tracker import` takes a large spreadsheet, on SQLite and on PostgreSQL.

    .venv/bin/python bench/import_rows.py [ROWS]      (default 20,000)

Writes an .xlsx of ROWS valid nominations, imports it into a fresh database of each kind
through the real importer, and prints rows per second beside the floor: the same rows
inserted by a bare bulk INSERT on the same database.
"""

import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.databases import KINDS, fresh_database  # noqa: E402  (after the path is set)
from burden_tracker import migrate
from burden_tracker.db import create_db_engine, open_session
from burden_tracker.models import Nomination
from burden_tracker.services.importer import import_file
from burden_tracker.services.reference import ensure_reference_data

DEPARTMENTS = ["Emergency Department", "Intensive Care Unit", "Surgery", "Pediatrics", "Oncology", "Cardiology"]


def write_workbook(path: Path, rows: int) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Nominations")
    sheet.append(["title", "description", "category", "department", "affected_role", "minutes_per_occurrence",
                  "occurrences_per_week", "clinicians_affected", "requirement_source", "submitted_on", "status",
                  "retired_on"])
    start = date(2025, 1, 1)
    for n in range(rows):
        submitted = start + timedelta(days=n % 600)
        retired = n % 3 == 0
        sheet.append([f"Burden number {n}", "Charted twice, read by nobody.", "documentation",
                      DEPARTMENTS[n % len(DEPARTMENTS)], "nurse", 0.5 + n % 7, 12 + n % 30, 10 + n % 500,
                      "internal policy", submitted, "retired" if retired else "proposed",
                      submitted + timedelta(days=30) if retired else None])
    book.save(path)


def measure(kind: str, workbook: Path, rows: int, folder: Path) -> None:
    with fresh_database(kind, folder) as url:
        _measure(kind, url, workbook, rows)


def _measure(kind: str, url: str, workbook: Path, rows: int) -> None:
    engine = create_db_engine(url)
    try:
        migrate.upgrade(engine)
        with open_session(engine) as session:
            ensure_reference_data(session=session)
            started = time.perf_counter()
            report = import_file(session=session, path=workbook, create_missing=True)
            importer_seconds = time.perf_counter() - started
            assert report.ok and report.imported == rows, report.errors[:3]
            template = session.get(Nomination, 1)
            values = template.model_dump(exclude={"id"})
            started = time.perf_counter()
            session.execute(insert(Nomination), [{**values, "title": f"Floor {n}"} for n in range(rows)])
            session.commit()
            floor_seconds = time.perf_counter() - started
    finally:
        engine.dispose()
    print(f"import {rows:,} rows [{kind}]: {importer_seconds:.2f} s, {rows / importer_seconds:,.0f} rows/s; "
          f"bare bulk insert {floor_seconds:.2f} s; ratio {importer_seconds / floor_seconds:.1f}")


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    with tempfile.TemporaryDirectory() as folder:
        workbook = Path(folder) / "nominations.xlsx"
        write_workbook(workbook, rows)
        for kind in KINDS:
            measure(kind, workbook, rows, Path(folder))


if __name__ == "__main__":
    main()
