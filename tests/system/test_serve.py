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
import requests

from burden_tracker.queries.users import find_user
from tests.support.factories import make_nomination, make_user
from tests.support.serving import served
from tests.support.web import PASSWORD

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


@pytest.mark.parametrize(("settings", "message"), [
    ({"OIDC_ISSUER": "https://login.example.org"},
     "Error: OIDC_ISSUER is set but OIDC_CLIENT_ID or OIDC_CLIENT_SECRET is not: single sign-on needs all three."),
    ({"SSO_ONLY": "1"},
     "Error: SSO_ONLY is on but OIDC_ISSUER is not set: nobody could sign in but the break-glass accounts."),
])
def test_serve_refuses_single_sign_on_half_set_up(tmp_path, settings, message):
    env = {"PATH": str(BIN), "DATABASE_URL": f"sqlite:///{tmp_path / 'never.sqlite3'}", "HOME": str(tmp_path),
           "SECRET_KEY": "a key for tests only", **settings}
    result = subprocess.run([str(BIN / "burden-tracker"), "serve", "--port", str(free_port())], env=env,
                            capture_output=True, text=True, timeout=30)
    assert (result.returncode, result.stderr) == (1, message + "\n")


def test_a_served_app_signs_people_in_through_the_provider(session, database_url, tmp_path, identity_provider):
    """Two gunicorn workers: the sign-in may start in one and come back to the other."""
    settings = identity_provider.app_settings()
    subject = identity_provider.add_person(email="served.person@hospital.test", name="Served Person")
    with served(database_url, tmp_path / "serve.log", extra_env={**settings, "AUTHLIB_INSECURE_TRANSPORT": "1"}) \
            as (base, _):
        person = requests.Session()
        for _attempt in range(4):  # each a new sign-in, so that both workers take some part
            started = person.get(base + "/login/sso", allow_redirects=False, timeout=10)
            back = identity_provider.choose(started.headers["Location"], subject)
            assert person.get(back, allow_redirects=False, timeout=10).headers["Location"] == "/"
            assert ">Sign out</button>" in person.get(base + "/wins", timeout=10).text
    session.expire_all()
    assert find_user(session=session, email="served.person@hospital.test").name == "Served Person"


def raw_response(port: int, request: bytes) -> bytes:
    """Everything the server sends back, read until it closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_served_responses_name_no_server_software(database_url, tmp_path):
    with served(database_url, tmp_path / "server.log") as (base, _server):
        port = int(base.rpartition(":")[2])
        requests = {
            "the health check": b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            "a page": b"GET /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            "a static file": b"GET /static/js/htmx.min.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            "a redirect to sign in": b"GET /nominations HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            "no such file": b"GET /static/js/none.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            "a refused form": b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            "HTTP/1.0": b"HEAD /healthz HTTP/1.0\r\n\r\n",
            "a request gunicorn refuses itself": b"GET /healthz HTTP/9.9\r\n\r\n",
        }
        answers = {name: raw_response(port, request) for name, request in requests.items()}
    for name, answer in answers.items():
        head = answer.partition(b"\r\n\r\n")[0].decode("latin-1")
        status, *header_lines = head.split("\r\n")
        assert status.startswith("HTTP/1."), name
        assert not [line for line in header_lines if line.lower().startswith("server:")], f"{name}: {head}"
        assert b"gunicorn" not in answer.lower(), name
    assert {name: answer.split(b" ", 2)[1] for name, answer in answers.items()} == {
        "the health check": b"200", "a page": b"200", "a static file": b"200", "a redirect to sign in": b"302",
        "no such file": b"404",
        "a refused form": b"400", "HTTP/1.0": b"200", "a request gunicorn refuses itself": b"400"}
