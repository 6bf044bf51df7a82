"""`burden-tracker serve` in a subprocess, and browsers made of urllib: for tests that need the real server."""

import http.client
import http.cookiejar
import os
import re
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import urlencode, urlsplit

BIN = Path(sys.executable).parent
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


@contextmanager
def served(database_url: str, log_path: Path | None, *, workers: int | None = 2, file_size_limit: int | None = None,
           extra_env: dict | None = None, with_worker: bool = False):
    """Yields (base address, the gunicorn master process); the server's output goes to log_path (or nowhere).

    workers=None leaves the number to `serve`'s default. file_size_limit caps the size of any file the server
    writes (RLIMIT_FSIZE), as a full disk would. with_worker runs a job worker beside it, as `make run` does; the
    job queue is a SQLite file of the test's own unless extra_env names one.
    """
    port = free_port()
    queue = tempfile.TemporaryDirectory(prefix="jobs-")
    env = {"DATABASE_URL": database_url, "SECRET_KEY": "a key for tests only", "PATH": f"{BIN}:/usr/bin:/bin",
           "SECOND_FACTOR_FOR_ADMINS": "0",  # as tests/conftest.py: admins sign in as others
           "PASSWORD_HASHING": os.environ.get("PASSWORD_HASHING", ""),  # as tests/conftest.py: the cheapest
           "JOBS_URL": f"sqlite:///{queue.name}/jobs.sqlite3", **(extra_env or {})}
    limit = (lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))) \
        if file_size_limit else None
    with (log_path.open("w") if log_path else open(os.devnull, "w")) as log:
        command = [str(BIN / "burden-tracker"), "serve", "--port", str(port)]
        if workers is not None:
            command += ["--workers", str(workers)]
        if with_worker:
            command.append("--with-worker")
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, preexec_fn=limit)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(base + "/healthz")
            yield base, process
        finally:
            stop(process)
            queue.cleanup()


def stop(process: subprocess.Popen) -> None:
    """Stop gunicorn at once (SIGINT: no graceful wait); if it still hangs, kill the master and its workers."""
    workers = workers_of(process) if process.poll() is None else []
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        for pid in [process.pid, *workers]:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.wait(timeout=15)


def workers_of(process: subprocess.Popen) -> list[int]:
    """The gunicorn workers' process ids (the master's children)."""
    with suppress(FileNotFoundError):
        return [int(pid) for pid in Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()]
    return []


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float = 30, status: int = 200) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == status:
                    return
        except urllib.error.HTTPError as error:
            if error.code == status:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not answer {status} within {seconds} s")


class Browser:
    """One person's browser: its own cookies and CSRF token; redirects are answers, not followed.

    headers go with every request: a hostile client's own Host, say. timeout bounds each request, in seconds.
    """

    def __init__(self, base: str, log: list | None = None, headers: dict | None = None, timeout: float = 120):
        self.base, self.log, self.token = base, log if log is not None else [], None
        self.headers, self.timeout = headers or {}, timeout
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  _NoRedirect())

    def sign_in(self, email: str, password: str) -> None:
        self.token = self._token("/login")
        status = self.post("/login", email=email, password=password)
        assert status in (302, 303), f"sign-in as {email} answered {status}"
        self.token = self._token("/nominations")

    def get(self, path: str) -> tuple[int, str]:
        return self.send("GET", path)

    def post(self, path: str, **fields) -> int:
        return self.send("POST", path, {**fields, "csrf_token": self.token})[0]

    def send(self, method: str, path: str, fields: dict | None = None) -> tuple[int, str]:
        data = urllib.parse.urlencode(fields, doseq=True).encode() if fields is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=self.headers)
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                status, body = response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read().decode(errors="replace")
        self.log.append((method, re.sub(r"\d+", "N", path), status, time.perf_counter() - started))
        return status, body

    def _token(self, path: str) -> str:
        match = CSRF.search(self.get(path)[1])
        return match[1] or match[2]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def at_once(send, times: int) -> list:
    """On fresh connections at the same moment: while one worker verifies a password the next may take another."""
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(send())) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


class Visit:
    """One browser whose every request comes from `address` on a new connection, so it may reach any worker."""

    TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

    def __init__(self, base: str, address: str):
        parts = urlsplit(base)
        self.host, self.port, self.address = parts.hostname, parts.port, address
        status, headers, page = self.send("GET", "/login")
        self.cookie = headers["Set-Cookie"].split(";")[0]
        self.token = self.TOKEN.search(page)[1]

    def sign_in(self, email: str, password: str) -> tuple[int, http.client.HTTPMessage, str]:
        body = urlencode({"email": email, "password": password, "csrf_token": self.token})
        return self.send("POST", "/login", body, {"Cookie": self.cookie,
                                                  "Content-Type": "application/x-www-form-urlencoded"})

    def send(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60, source_address=(self.address, 0))
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.headers, response.read().decode()
        finally:
            connection.close()


def closed_before_written(app):
    """The app, each response closed before it is written. Werkzeug's development server skips a response's close()
    when the browser has reset the connection by then (it first reads what is left of the request); gunicorn, which
    serves the app, always calls it. What the app does once a response is done (emails, the security trail) then
    happens here too, a little earlier."""

    def serve(environ, start_response):
        response = app(environ, start_response)
        try:
            return list(response)
        finally:
            if hasattr(response, "close"):
                response.close()

    return serve
