"""/admin/webhooks, for admins only: the endpoints told of changes (services/webhooks.py), each with its log of
deliveries and their answers. A new endpoint's secret is shown once, on the page that added it."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from ..db import get_session
from ..errors import DomainError, NotFound
from ..forms import ConfirmClearForm, WebhookForm
from ..models import WebhookEndpoint
from ..queries.webhooks import endpoint_lines, endpoint_log
from ..services import webhooks
from .auth import admins_only
from .rendering import show_errors

bp = Blueprint("webhooks_admin", __name__, url_prefix="/admin/webhooks")


bp.before_request(admins_only)


@bp.get("")
def index():
    return _page(WebhookForm())


@bp.post("")
def add():
    form = WebhookForm()
    if not form.validate_on_submit():
        return _page(form, status=422)
    try:
        endpoint, secret = webhooks.register_endpoint(
            session=get_session(), actor=current_user.user, name=form.name.data, url=form.url.data,
            events=form.events.data, message_format=form.format.data,
            http_allowed=current_app.config["WEBHOOK_HTTP_ALLOWED"])
    except DomainError as error:
        show_errors(form, error)
        return _page(form, problem=error.message, status=422)
    return _page(WebhookForm(formdata=None), new_endpoint=endpoint, new_secret=secret)


@bp.get("/<int:endpoint_id>")
def log(endpoint_id: int):
    session = get_session()
    endpoint = session.get(WebhookEndpoint, endpoint_id) or abort(404)
    return render_template("admin/webhook.html", endpoint=endpoint,
                           deliveries=endpoint_log(session=session, endpoint_id=endpoint_id), button=ConfirmClearForm())


@bp.post("/<int:endpoint_id>/pause")
def pause(endpoint_id: int):
    return _set_active(endpoint_id, False, "is paused: it is told of nothing new until it resumes")


@bp.post("/<int:endpoint_id>/resume")
def resume(endpoint_id: int):
    return _set_active(endpoint_id, True, "resumed: what waited for it is sent within a minute")


@bp.post("/<int:endpoint_id>/remove")
def remove(endpoint_id: int):
    if ConfirmClearForm().validate_on_submit():
        try:
            name = webhooks.remove_endpoint(session=get_session(), actor=current_user.user, endpoint_id=endpoint_id)
        except NotFound:
            abort(404)
        flash(f"“{name}” is removed, with its log.")
    return redirect(url_for("webhooks_admin.index"), code=303)


def _set_active(endpoint_id: int, active: bool, done: str):
    if ConfirmClearForm().validate_on_submit():
        try:
            endpoint = webhooks.set_active(session=get_session(), actor=current_user.user, endpoint_id=endpoint_id,
                                           active=active)
        except NotFound:
            abort(404)
        flash(f"“{endpoint.name}” {done}.")
    return redirect(url_for("webhooks_admin.log", endpoint_id=endpoint_id), code=303)


def _page(form: WebhookForm, *, problem: str | None = None, new_endpoint=None, new_secret: str | None = None,
          status: int = 200):
    return render_template("admin/webhooks.html", form=form, lines=endpoint_lines(session=get_session()),
                           problem=problem, new_endpoint=new_endpoint, new_secret=new_secret), status
