"""Blueprints: each validates a form, calls one service, and renders a page or a fragment."""

from flask_htmx import HTMX
from flask_wtf.csrf import CSRFProtect

htmx = HTMX()
csrf = CSRFProtect()


def init_app(app) -> None:
    from . import health, nominations

    htmx.init_app(app)
    csrf.init_app(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(nominations.bp)
    app.add_url_rule("/", endpoint="index", view_func=nominations.index)
