"""How each gunicorn worker of `burden-tracker serve` starts."""

import gc

from burden_tracker.server import _Gunicorn


def test_a_worker_sets_what_it_built_at_start_aside_from_the_garbage_collector():
    """Its modules and app live as long as the worker. While the collector walked them, a full collection
    paused a list page for about 65 ms every few hundred pages."""
    before = gc.get_freeze_count()
    try:
        app = _Gunicorn({"bind": "127.0.0.1:0"}, lambda: "the app").load()
        assert app == "the app"
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()
