"""How long `burden-tracker --help` takes, wall clock, start to exit: what an operator waits for before the first
answer. The target is absolute, not a ratio: half a second on the machines of docs/performance.md.

    .venv/bin/python bench/command_line.py
"""

import statistics
import subprocess
import sys
import time
from pathlib import Path

PROGRAM = Path(sys.executable).with_name("burden-tracker")
RUNS = 9
TARGET = 0.5


def seconds_for(arguments: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run([str(PROGRAM), *arguments], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> int:
    seconds_for(["--help"])  # the first run reads the files from disk; the others find them cached, as an operator
    runs = [seconds_for(["--help"]) for _ in range(RUNS)]
    median = statistics.median(runs)
    met = median < TARGET
    print(f"{'command':<24}  {'median s':>8}  {'min s':>6}  {'max s':>6}  target")
    print(f"{'burden-tracker --help':<24}  {median:>8.2f}  {min(runs):>6.2f}  {max(runs):>6.2f}  "
          f"< {TARGET} s {'met' if met else 'MISSED'} (median of {RUNS})")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
