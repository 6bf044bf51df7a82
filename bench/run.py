"""`make bench`: every benchmark, one after another, each printing its figures and ratios to the floor.

    .venv/bin/python bench/run.py

The benchmarks build their own data sets in throwaway SQLite files and PostgreSQL databases
(TEST_POSTGRES_URL, as for the tests). Ratios are measured side by side in one run, because
these machines are noisy; compare ratios, not seconds, between runs.
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    ("The command line: burden-tracker --help, wall clock", "command_line.py"),
    ("Pages: server time at 100,000 nominations against 1,000, and the dashboard against its SQL", "pages.py"),
    ("The quarterly workbook against bare openpyxl, with peak memory", "export_workbook.py"),
    ("Import of 20,000 rows against a bare bulk insert", "import_rows.py"),
    ("HTTP throughput of /nominations under serve --workers 2 against /healthz", "http_throughput.py"),
    ("EHR metrics: a provider-level import, and a nomination's page with its measured impact", "metrics.py"),
]


def main() -> int:
    failed = 0
    for title, script in BENCHMARKS:
        print(f"\n## {title}\n", flush=True)
        failed |= subprocess.run([sys.executable, str(HERE / script)]).returncode
    return failed


if __name__ == "__main__":
    sys.exit(main())
