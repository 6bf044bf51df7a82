"""Serving the app on gunicorn; each worker builds its own app, so no connection crosses a fork."""

import gc

from gunicorn.app.base import BaseApplication


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
        # The worker's modules and app (about 130,000 objects) live as long as it does. Frozen, the garbage
        # collector stops walking them: a full collection took about 65 ms and came every 500 list pages.
        # Collected first, so that no garbage of the start is kept for ever.
        gc.collect()
        gc.freeze()
        return app


def serve(*, host: str, port: int, workers: int, make_app=None) -> None:
    """make_app builds each worker's app: create_app, unless a benchmark serves a variant."""
    from . import create_app

    _Gunicorn({
        "bind": f"{host}:{port}",
        "workers": workers,
        "control_socket_disable": True,  # several servers on one machine (tests) would share its path
        # A sync worker is killed after `timeout` seconds without a word; the quarterly workbook of a
        # 100,000-nomination program takes about 20 s to write, so leave it room.
        "timeout": 120,
        # Trust no proxy's X-Forwarded-* here: PROXY_FIX (burden_tracker/security.py) is the one switch.
        "forwarded_allow_ips": "",
        "accesslog": "-",
    }, make_app or create_app).run()
