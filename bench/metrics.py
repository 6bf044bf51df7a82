"""EHR metrics: importing a vendor's provider-level export, and a nomination's page with its measured impact.

    .venv/bin/python bench/metrics.py

1. The import reads 24 months × 50 departments × 7 metrics from provider-level rows, about 2,000 providers (40 a
   department), from a CSV: its rate in rows a second, against reading the same file alone (the floor every
   import pays), on each database.
2. A retired nomination's page with its measured impact (the metric read for every department, the measurement,
   its chart) against the same page with the nomination not linked to a metric, taking turns request by request.
   Target: at most 1.5 times.
"""

import csv
import logging
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select, update  # noqa: E402  (after the path is set)

from bench.databases import KINDS, fresh_database  # noqa: E402
from bench.dataset import build  # noqa: E402
from burden_tracker import create_app, migrate  # noqa: E402
from burden_tracker.db import create_db_engine, open_session  # noqa: E402
from burden_tracker.ehr_metrics import METRICS  # noqa: E402
from burden_tracker.enums import Role, State  # noqa: E402
from burden_tracker.measured import months_around  # noqa: E402
from burden_tracker.models import Department, Nomination  # noqa: E402
from burden_tracker.services.metrics_import import import_metrics  # noqa: E402
from burden_tracker.services.sheet_files import read_table  # noqa: E402
from burden_tracker.services.users import add_user  # noqa: E402

MONTHS, DEPARTMENTS, PROVIDERS_EACH = 24, 50, 40
BENCH_METRICS = [key for key in METRICS if key != "Alert firings"]  # seven, each kept per provider
PAGE_REPEAT = 25
PAGE_TARGET = 1.5
PASSWORD = "a bench password"
HEADERS = ["Provider Identifier", "Department", "ReportingPeriodStartDate", "ReportingPeriodEndDate", "Metric",
           "Numerator", "Denominator"]


def main() -> None:
    today = date.today()
    months = _months(today)
    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder) / "signal.csv"
        rows = _write_export(export, months)
        for kind in KINDS:
            with fresh_database(kind, Path(folder)) as url:
                engine = create_db_engine(url)
                migrate.upgrade(engine)
                build(engine, nominations=1_000, today=today)
                _add_departments(engine)
                _import(kind, engine, export, rows)
                _pages(kind, url, engine, months)
                engine.dispose()


def _months(today: date) -> list[date]:
    last = months_around(today.replace(day=1), 1)[0][0]
    return [*months_around(last, MONTHS - 1)[0], last]


def _write_export(path: Path, months: list[date]) -> int:
    rng = random.Random(11)
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for department in range(1, DEPARTMENTS + 1):
            for provider in range(PROVIDERS_EACH):
                identifier = f"P{department:02d}{provider:03d}"
                for month in months:
                    end = months_around(month, 1)[1][0].toordinal() - 1
                    for metric in BENCH_METRICS:
                        scheduled = rng.uniform(100, 160)
                        writer.writerow([identifier, f"Department {department:02d}", month.isoformat(),
                                         date.fromordinal(end).isoformat(), metric,
                                         round(scheduled * rng.uniform(0.1, 0.2), 3), round(scheduled, 2)])
                        count += 1
    return count


def _add_departments(engine) -> None:
    """The bench program has 30 departments; the export names 50."""
    with open_session(engine) as session:
        known = set(session.scalars(select(Department.name)))
        session.add_all(Department(name=f"Department {n:02d}") for n in range(1, DEPARTMENTS + 1)
                        if f"Department {n:02d}" not in known)
        session.commit()


def _import(kind: str, engine, export: Path, rows: int) -> None:
    started = time.perf_counter()
    read_table(export)
    floor = time.perf_counter() - started
    with open_session(engine) as session:
        started = time.perf_counter()
        report = import_metrics(session=session, table=read_table(export))
        taken = time.perf_counter() - started
    assert report.ok, report.errors[:3]
    print(f"{kind:<10}  import of {rows:,} provider rows as {report.figures:,} department months: {taken:.1f}s, "
          f"{rows / taken:,.0f} rows a second; reading the file alone {floor:.1f}s, ratio {taken / floor:.2f}",
          flush=True)


def _pages(kind: str, url: str, engine, months: list[date]) -> None:
    """One retired nomination's page, linked to WOW8 and not, in turns: its link is set and cleared between
    requests (outside the timing), so that the two pages differ only by the measured impact."""
    retired_on = months[-7].replace(day=15)  # its after window is over
    with open_session(engine) as session:
        nomination = session.scalar(select(Nomination.id).where(Nomination.state == State.RETIRED)
                                    .order_by(Nomination.id).limit(1))
        department = session.scalar(select(Department.id).where(Department.name == "Department 01"))
        session.execute(update(Nomination).where(Nomination.id == nomination).values(
            retired_on=retired_on, department_id=department))
        add_user(session=session, email="bench-staff@bench.test", roles={Role.STAFF}, password=PASSWORD)
        session.commit()
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
    logging.getLogger("burden_tracker.audit").setLevel(logging.WARNING)
    client = app.test_client()
    client.post("/login", data={"email": "bench-staff@bench.test", "password": PASSWORD})
    times = {"WOW8": [], None: []}
    for repeat in range(PAGE_REPEAT + 1):
        for metric in times:
            with engine.begin() as connection:
                connection.execute(update(Nomination).where(Nomination.id == nomination).values(
                    measured_metric=metric))
            started = time.perf_counter()
            page = client.get(f"/nominations/{nomination}").get_data(as_text=True)
            if repeat:  # the first of each warms the caches
                times[metric].append(time.perf_counter() - started)
            assert ("Measured in the EHR" in page) == (metric is not None)
    with_chart, without = statistics.median(times["WOW8"]), statistics.median(times[None])
    print(f"{kind:<10}  a retired nomination's page: {without * 1000:.1f}ms not linked to a metric, "
          f"{with_chart * 1000:.1f}ms with its measured impact and chart ({DEPARTMENTS} departments × {MONTHS} "
          f"months); ratio {with_chart / without:.2f}, target <= {PAGE_TARGET}", flush=True)
    app.extensions["db_engine"].dispose()


if __name__ == "__main__":
    main()
