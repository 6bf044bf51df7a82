"""`burden-tracker serve` runs the app on gunicorn with several workers, and refuses settings it must not serve."""

import http.cookiejar
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.factories import make_nomination, make_user
from tests.web import PASSWORD

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def get(url: str, data: dict | None = None) -> tuple[int, str]:
    body = urllib.parse.urlencode(data).encode() if data else None
    with browser.open(url, data=body, timeout=5) as response:
        return response.status, response.read().decode()


def sign_in(base: str, email: str) -> None:
    _, page = get(base + "/login")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]
    get(base + "/login", {"email": email, "password": PASSWORD, "csrf_token": token})


def wait_until_up(url: str, server: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, server.stdout.read()
        try:
            get(url)
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def test_serve_answers_on_the_given_port_with_several_workers(session, database_url, tmp_path):
    make_nomination(session, title="Signature on the paper MAR after the eMAR scan")
    nurse = make_user(session, can_sign_in=True)
    port = free_port()
    env = {"PATH": str(BIN), "DATABASE_URL": database_url, "SECRET_KEY": "a key for tests only",
           "HOME": str(tmp_path)}
    server = subprocess.Popen(
        [str(BIN / "burden-tracker"), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/healthz", server)
        assert get(base + "/healthz") == (200, '{"status":"ok"}\n')
        sign_in(base, nurse.email)
        status, page = get(base + "/nominations")
        assert status == 200 and "Signature on the paper MAR" in page
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
    assert f"Burden Tracker is at http://127.0.0.1:{port}/" in output
    assert output.count("Booting worker") == 2


@pytest.mark.parametrize(("settings", "message"), [
    ({"SMTP_HOST": "127.0.0.1"},
     "Error: SMTP_HOST is set but BASE_URL is not: set BASE_URL to the address people use "
     "(like https://burden.example.org/), which links in emails start with."),
    ({"SMTP_HOST": "127.0.0.1", "BASE_URL": "burden.example.org"},
     "Error: BASE_URL must be an address like https://burden.example.org/, not 'burden.example.org'."),
])
def test_serve_refuses_to_start_when_emails_could_only_link_to_a_host_a_request_named(tmp_path, settings, message):
    port = free_port()
    env = {"PATH": str(BIN), "DATABASE_URL": f"sqlite:///{tmp_path / 'never.sqlite3'}", "HOME": str(tmp_path),
           "SECRET_KEY": "a key for tests only", **settings}
    result = subprocess.run([str(BIN / "burden-tracker"), "serve", "--port", str(port)], env=env,
                            capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    assert result.stderr == message + "\n" and result.stdout == ""
    with socket.socket() as probe:  # gunicorn never started: the port is still free
        probe.bind(("127.0.0.1", port))
