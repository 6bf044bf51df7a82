"""Blueprints: each validates a form, calls one service, and renders a page or a fragment."""

from flask_htmx import HTMX
from flask_login import current_user
from flask_wtf.csrf import CSRFProtect

htmx = HTMX()
csrf = CSRFProtect()


def init_app(app) -> None:
    from . import (
        admin,
        auth,
        board,
        browse,
        dashboard,
        decide,
        errors,
        health,
        mailing,
        me,
        nominate,
        nominations,
        reports,
        wins,
    )

    htmx.init_app(app)
    csrf.init_app(app)
    auth.init_app(app)
    errors.init_app(app)
    mailing.init_app(app)
    for module in (health, browse, nominations, nominate, me, board, decide, admin, wins, dashboard, reports):
        app.register_blueprint(module.bp)
    app.register_blueprint(admin.invite_bp)
    app.add_url_rule("/", endpoint="index", view_func=nominations.index)
    app.context_processor(_unread_notices)


def _unread_notices() -> dict:
    from ..db import get_session
    from ..services.notices import unread_count

    if not current_user.is_authenticated:
        return {}
    return {"unread_notices": unread_count(session=get_session(), user_id=current_user.id)}
