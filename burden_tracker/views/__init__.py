"""Blueprints: a page asks queries/ for what it shows; a change validates a form, calls one service, and renders
a page or a fragment."""

from flask_login import current_user
from flask_wtf.csrf import CSRFProtect
from werkzeug.routing import IntegerConverter

from .. import charts
from ..enums import OUTCOME_MEANS
from ..forms import LARGEST_ID
from .rendering import htmx

csrf = CSRFProtect()


class IdConverter(IntegerConverter):
    """`<int:...>` in our addresses names a row. A number beyond any id is no such page (404): it never reaches
    the database, which cannot compare it (SQLite) or refuses it (PostgreSQL)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(map, *args, **kwargs)


def init_app(app) -> None:
    from . import (
        admin,
        api,
        api_comments,  # noqa: F401  its routes join api.bp as it is imported
        api_decisions,  # noqa: F401  as api_comments
        api_limits,
        api_nominations,  # noqa: F401  as api_comments
        api_reports,  # noqa: F401  as api_comments
        attachments,
        auth,
        board,
        browse,
        commons,
        commons_admin,
        dashboard,
        decide,
        errors,
        health,
        jobs_admin,
        mailing,
        me,
        metrics_admin,
        myths,
        myths_admin,
        nominate,
        nominations,
        passwords,
        reauth,
        rendering,
        reports,
        second_factor,
        sign_on_admin,
        sso,
        tokens,
        webhooks_admin,
        wins,
    )

    app.url_map.converters["int"] = IdConverter  # before any blueprint's rules are added
    app.json = api.ArrivingJson(app)
    htmx.init_app(app)
    csrf.init_app(app)
    api_limits.init_app(app)
    csrf.exempt(api.bp)  # a bearer token, never a cookie, authenticates it: there is nothing to forge
    auth.init_app(app)
    sso.init_app(app)
    errors.init_app(app)
    mailing.init_app(app)
    for module in (health, browse, nominations, attachments, nominate, me, passwords, second_factor, reauth, board,
                   decide, admin, sign_on_admin, metrics_admin, jobs_admin, webhooks_admin, myths_admin, commons_admin,
                   tokens, api, wins, dashboard, reports, myths, commons):
        app.register_blueprint(module.bp)
    app.register_blueprint(admin.invite_bp)
    app.add_url_rule("/", endpoint="index", view_func=nominations.index)
    app.context_processor(_unread_notices)
    for number_format in (rendering.whole, rendering.tenths, rendering.thousands, rendering.plain,
                          rendering.file_size):
        app.add_template_filter(number_format)
    app.add_template_filter(rendering.named)
    app.add_template_filter(rendering.browser_named)
    app.add_template_global(charts.month_chart, "place_month_chart")
    app.add_template_global(rendering.shown_time)
    app.add_template_global({outcome.value: means for outcome, means in OUTCOME_MEANS.items()}, "outcome_means")


def _unread_notices() -> dict:
    """For the header's badge; read with the person at the sign-in check (queries/sessions.py)."""
    if not current_user.is_authenticated:
        return {}
    return {"unread_notices": current_user.unread_notices}
