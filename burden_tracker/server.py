"""Serving the app on gunicorn; each worker builds its own app, so no connection crosses a fork.

Workers are gunicorn's threaded (gthread) kind. A sync worker reads one request at a time, so a few
clients that send their headers slowly hold every worker and nobody else is answered. A gthread worker
keeps silent and kept-alive connections in its event loop; once a client sends, one of its threads reads
the request, waiting on that client as long as it takes, while the other threads serve everyone else.
A waiting thread holds no GIL, and the threads share the worker's app and database pool.

The kernel hands new connections to whichever worker accepts first, and one worker may well take every
slow client at once: each worker needs threads enough on its own. Beyond that many slow clients at once,
a proxy that buffers whole requests (nginx, say) belongs in front.
"""

import gc
import signal
import subprocess
import sys
from contextlib import contextmanager

import gunicorn.http.wsgi
from gunicorn.app.base import BaseApplication

from .config import SERVE_THREADS

WORKER_GRACE = 30  # seconds a job worker beside the server has to finish its jobs


class _UnnamedResponse(gunicorn.http.wsgi.Response):
    """gunicorn's response without the Server header that names it: which software answers is of use to
    nobody but someone looking for a known flaw in it. gunicorn has no setting for this (its maintainers
    declined one) and writes the header whatever the app sets; each request's response is made from
    gunicorn.http.wsgi.Response, which serve() replaces with this one."""

    def default_headers(self):
        return [line for line in super().default_headers() if not line.lower().startswith("server:")]


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict, make_app):
        self.options = options
        self.make_app = make_app
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        app = self.make_app()
        # The worker's modules and app live as long as it does. Frozen, the garbage collector stops walking
        # them in every full collection, a pause that came every few hundred list pages (the figures:
        # docs/performance.md). Collected first, so that no garbage of the start is kept for ever.
        gc.collect()
        gc.freeze()
        return app


def serve(*, host: str, port: int, make_app, workers: int, threads: int = SERVE_THREADS) -> None:
    """make_app builds each worker's app: the command line's create_app, or a benchmark's variant. It is handed in
    rather than imported, so that this module stays below the package that registers the command line."""
    gunicorn.http.wsgi.Response = _UnnamedResponse  # before the workers are forked, so all of them use it
    _Gunicorn({
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "control_socket_disable": True,  # several servers on one machine (tests) would share its path
        # A gthread worker's event loop tells the master it is alive whatever its threads are doing, so this
        # restarts a worker that hangs as a whole; it does not cut off a long request such as the quarterly
        # workbook. gunicorn's default.
        "timeout": 30,
        # Idle kept-alive connections wait in the event loop, not in a thread: a browser's next page comes
        # without a new connection. gunicorn's default, for clients that connect directly.
        "keepalive": 2,
        # Trust no proxy's X-Forwarded-* here: PROXY_FIX (burden_tracker/security.py) is the one switch.
        "forwarded_allow_ips": "",
        "accesslog": "-",
    }, make_app).run()


@contextmanager
def worker_beside():
    """A job worker (`burden-tracker worker`) in a process of its own while the server runs, for `make run`. It
    is asked to stop as Ctrl-C asks (SIGINT: the jobs running finish) and, after WORKER_GRACE seconds, made to."""
    worker = subprocess.Popen([sys.executable, "-m", "burden_tracker", "worker"])
    try:
        yield worker
    finally:
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(WORKER_GRACE)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
