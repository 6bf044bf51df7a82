"""HTTP throughput of /nominations under `burden-tracker serve --workers 2`, against a trivial route of the
same server, with p50 and p99 latencies.

    .venv/bin/python bench/http_throughput.py [NOMINATIONS [SECONDS]]      (default 100000 20)

For each database kind it builds a program (bench/dataset.py), starts the real server (gunicorn, two
sync workers) and drives it from a second process on loopback: CLIENTS threads, each sending one
request after another on a new connection (gunicorn's sync workers close every connection). The
floor is /healthz, the app's smallest route: the same server, middleware and response hooks, one
`SELECT 1`, and no sign-in check (it is open to load balancers).
The two routes take turns in slices, so a slow moment of this shared machine falls on both.

On a miss it says why: a profile of /nominations in this process, and the ratio that bench/bare_page.py's
/bare (the same rows with nothing else) reaches on the same server, as a ceiling for this stack here.
"""

import http.client
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.databases import KINDS, fresh_database  # noqa: E402  (after the path is set)

WORKERS = 2
CLIENTS = 4  # enough to keep both workers busy while a client waits for its answer
SLICES = 10  # short turns, so that a slow moment of this shared machine falls on both routes alike
PAGE, FLOOR = "/nominations", "/healthz"
EMAIL, PASSWORD = "bench-staff@bench.test", "a bench password"
TARGET = 0.4
ARTIFACTS = ROOT / "test-artifacts"


def main(nominations: int, seconds: float) -> None:
    print(f"{'database':<10}  {'route':<12}  {'req/s':>7}  {'p50 ms':>7}  {'p99 ms':>7}")
    for kind in KINDS:
        with tempfile.TemporaryDirectory() as folder, fresh_database(kind, Path(folder)) as url:
            _prepare(url, nominations)
            figures = _drive(url, seconds)
            for route in (PAGE, FLOOR):
                f = figures[route]
                print(f"{kind:<10}  {route:<12}  {f['rate']:>7.1f}  {f['p50'] * 1000:>7.1f}  "
                      f"{f['p99'] * 1000:>7.1f}", flush=True)
            ratio = figures[PAGE]["rate"] / figures[FLOOR]["rate"]
            print(f"{kind:<10}  {PAGE} ÷ {FLOOR}: {ratio:.2f}  (target >= {TARGET}; {nominations:,} nominations, "
                  f"{WORKERS} workers, {CLIENTS} clients)", flush=True)
            if ratio < TARGET:
                _explain(kind, url)
                _compare_with_bare_page(url, seconds)


def _prepare(url: str, nominations: int) -> None:
    from bench.dataset import build
    from burden_tracker import migrate
    from burden_tracker.db import create_db_engine, open_session
    from burden_tracker.enums import Role
    from burden_tracker.services.users import add_user

    engine = create_db_engine(url)
    migrate.upgrade(engine)
    build(engine, nominations=nominations)
    with open_session(engine) as session:
        add_user(session=session, email=EMAIL, roles={Role.STAFF}, password=PASSWORD)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")  # as autovacuum soon would after a bulk load
    engine.dispose()


def _drive(url: str, seconds: float) -> dict[str, dict]:
    from tests.support.serving import served

    with served(url, None, workers=WORKERS) as (base, _process):
        return _take_turns(base, (PAGE, FLOOR), seconds)


def _take_turns(base: str, routes: tuple[str, str], seconds: float) -> dict[str, dict]:
    """Signs in, then drives each route in turn, slice by slice."""
    from tests.support.serving import Browser

    browser = Browser(base)
    browser.sign_in(EMAIL, PASSWORD)
    headers = _headers_of(browser)
    port = int(base.rsplit(":", 1)[1])
    latencies, elapsed = {route: [] for route in routes}, dict.fromkeys(routes, 0.0)
    for route in routes:  # warm both workers: imports, caches, connections
        _client(port, headers, route, 1.0)
    for _ in range(SLICES):
        for route in routes:
            times, took = _client(port, headers, route, seconds / SLICES / 2)
            latencies[route].extend(times)
            elapsed[route] += took
    return {route: {"rate": len(times) / elapsed[route], "p50": statistics.median(times),
                    "p99": statistics.quantiles(times, n=100)[98]} for route, times in latencies.items()}


def _compare_with_bare_page(url: str, seconds: float) -> None:
    """How far the stack itself lets a page go: bench/bare_page.py's /bare against the same /healthz."""
    from bench.bare_page import PATH, served_bare

    with served_bare(url) as base:
        figures = _take_turns(base, (PATH, FLOOR), seconds / 2)
    ratio = figures[PATH]["rate"] / figures[FLOOR]["rate"]
    print(f"    the least a page of the same 50 rows can do ({PATH}: one session query, one list query, no "
          f"navigation, filters or CSRF token): {PATH} ÷ {FLOOR} {ratio:.2f}", flush=True)


def _explain(kind: str, url: str, requests: int = 300) -> None:
    """Profile /nominations in this process (the app as the server runs it, without gunicorn), save the
    profile, and print where a request's time goes."""
    import logging

    from pyinstrument import Profiler

    from burden_tracker import create_app

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
    logging.getLogger("burden_tracker.audit").setLevel(logging.WARNING)
    client = app.test_client()
    client.post("/login", data={"email": EMAIL, "password": PASSWORD})
    for path in (PAGE, FLOOR):
        client.get(path)
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(requests):
            client.get(PAGE)
    app.extensions["db_engine"].dispose()
    ARTIFACTS.mkdir(exist_ok=True)
    saved = ARTIFACTS / f"http-profile-{kind}.txt"
    saved.write_text(profiler.output_text(unicode=True, color=False))
    root = profiler.last_session.root_frame()
    print(f"    why: {root.time / requests * 1000:.1f} ms a request in the app alone (under the profiler); "
          f"profile in {saved.relative_to(ROOT)}", flush=True)
    print("    where: " + ", ".join(f"{name} {_time_in(root, name) / requests * 1000:.1f} ms" for name in PARTS),
          flush=True)


# The parts of a request to /nominations worth naming: the signed-in check, the list's query, the
# filters' choices and the templates.
PARTS = ("require_sign_in", "list_nominations", "filter_choices", "render_template")


def _time_in(frame, function: str) -> float:
    if frame.function == function:
        return frame.time
    return sum(_time_in(child, function) for child in frame.children)


def _headers_of(browser) -> dict[str, str]:
    """What the signed-in browser sends: its cookies and its User-Agent. Flask-Login checks the session against
    the browser it began in; another User-Agent marks the session not fresh and has it saved again on every
    answer, which no real browser would cost the server."""
    jar = next(h.cookiejar for h in browser.opener.handlers if hasattr(h, "cookiejar"))
    return {"Cookie": "; ".join(f"{c.name}={c.value}" for c in jar), **dict(browser.opener.addheaders)}


def _client(port: int, headers: dict[str, str], route: str, seconds: float) -> tuple[list[float], float]:
    """Latencies of every request one client process sent for about `seconds`, and how long that really took
    (the last requests finish after the deadline)."""
    output = subprocess.run([sys.executable, __file__, "--client", str(port), json.dumps(headers), route, str(seconds)],
                            check=True, capture_output=True, text=True).stdout
    answer = json.loads(output)
    return answer["latencies"], answer["seconds"]


def _run_client(port: int, headers: dict[str, str], route: str, seconds: float) -> None:
    started_all = time.perf_counter()
    deadline = started_all + seconds
    latencies, failures = [], []

    def keep_asking():
        while time.perf_counter() < deadline:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            started = time.perf_counter()
            connection.request("GET", route, headers=headers)
            response = connection.getresponse()
            response.read()
            connection.close()
            if response.status != 200:
                failures.append(response.status)
            latencies.append(time.perf_counter() - started)

    threads = [threading.Thread(target=keep_asking) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        sys.exit(f"{route} answered {failures[0]} ({len(failures)} failures)")
    print(json.dumps({"latencies": latencies, "seconds": time.perf_counter() - started_all}))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--client"]:
        _run_client(int(sys.argv[2]), json.loads(sys.argv[3]), sys.argv[4], float(sys.argv[5]))
    else:
        arguments = sys.argv[1:]
        main(int(arguments[0]) if arguments else 100_000, float(arguments[1]) if len(arguments) > 1 else 20)
