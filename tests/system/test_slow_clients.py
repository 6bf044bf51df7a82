"""Slow clients against `burden-tracker serve` with its defaults, on 127.0.0.1 only.

A client that sends its request's headers one byte a second holds whatever reads them for as long as it
likes. Fifty such connections must leave the pages answering promptly for everyone else. The figures of
each run are written to test-artifacts/slow-clients-<database>.json.
"""

import json
import socket
import threading
import time
import urllib.request
from contextlib import ExitStack, suppress
from pathlib import Path
from statistics import median

from tests.support.factories import make_nomination, make_user
from tests.support.serving import Browser, served
from tests.support.web import PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SLOW_CLIENTS = 50
PROMPT = 1.0  # seconds: what "answering" means here
PROBING = 5.0  # seconds of measuring while the slow clients hold their connections
# Headers long enough never to end within the test: the server must wait for them throughout.
SLOW_REQUEST = b"GET /nominations HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: " + b"s" * 200 + b"\r\n\r\n"


def drip(sockets: list[socket.socket], stop: threading.Event) -> None:
    """One more byte of the headers on every connection, once a second, until stopped."""
    position = 0
    while not stop.is_set():
        for connection in sockets:
            with suppress(OSError):  # the server may hang up on a slow client: that is fine too
                connection.send(SLOW_REQUEST[position:position + 1])
        position += 1
        stop.wait(1.0)


def still_open(connection: socket.socket) -> bool:
    connection.setblocking(False)
    try:
        return connection.recv(1, socket.MSG_PEEK) != b""
    except BlockingIOError:
        return True  # nothing to read yet: the server is still waiting for the headers
    except OSError:
        return False


def timed(fetch) -> float:
    """Seconds until the page answered 200; a request that failed or timed out counts as never."""
    started = time.perf_counter()
    try:
        status = fetch()
    except OSError:
        return float("inf")
    return time.perf_counter() - started if status == 200 else float("inf")


def test_fifty_slow_clients_do_not_starve_the_pages(database_url, session, tmp_path):
    make_nomination(session, title="Signature on the paper MAR after the eMAR scan")
    nurse = make_user(session, can_sign_in=True)
    with served(database_url, tmp_path / "server.log", workers=None) as (base, _server), ExitStack() as closing:
        person = Browser(base, timeout=2 * PROMPT)
        person.sign_in(nurse.email, PASSWORD)
        port = int(base.rpartition(":")[2])
        slow = [closing.enter_context(socket.create_connection(("127.0.0.1", port), timeout=2))
                for _ in range(SLOW_CLIENTS)]
        stop = threading.Event()
        dripping = threading.Thread(target=drip, args=(slow, stop), daemon=True)
        dripping.start()
        closing.callback(dripping.join, 5)
        closing.callback(stop.set)
        time.sleep(1.5)  # every slow connection has been accepted and has begun its headers

        def healthz() -> int:
            with urllib.request.urlopen(base + "/healthz", timeout=2 * PROMPT) as response:
                return response.status

        def nominations() -> int:
            status, page = person.get("/nominations")
            return status if "Signature on the paper MAR" in page else 0

        times = {"/healthz": [], "/nominations": []}
        deadline = time.monotonic() + PROBING
        while time.monotonic() < deadline:
            times["/healthz"].append(timed(healthz))
            times["/nominations"].append(timed(nominations))
            time.sleep(0.25)
        held = sum(still_open(connection) for connection in slow)

    _write_figures(database_url, times, held)
    slowest = {path: max(seconds) for path, seconds in times.items()}
    assert all(seconds < PROMPT for seconds in slowest.values()), f"slowest answers, in seconds: {slowest}"


def _write_figures(database_url: str, times: dict, held: int) -> None:
    kind = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"slow-clients-{kind}.json").write_text(json.dumps({
        "slow_clients": SLOW_CLIENTS, "still_open_at_the_end": held,
        **{path: {"answers": len(seconds), "median_ms": round(median(seconds) * 1000, 1),
                  "slowest_ms": round(max(seconds) * 1000, 1)} if max(seconds) < float("inf")
           else {"answers": len(seconds), "failed_or_over_2_s": sum(s == float("inf") for s in seconds)}
           for path, seconds in times.items()},
    }, indent=2))
