"""/me/tokens: a person's API tokens for /api/v1. A new one is shown once, on the page that made it; each can be
renewed (another 90 days) or revoked, and says when it was last used."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from .. import audit
from ..db import get_session
from ..enums import TokenScope
from ..errors import DomainError, NotFound
from ..forms import ConfirmClearForm, TokenForm
from ..models import utc_now
from ..queries.api_tokens import tokens_of
from ..services import api_tokens
from .rendering import show_errors

bp = Blueprint("tokens", __name__, url_prefix="/me/tokens")


@bp.get("")
def index():
    return _page(TokenForm())


@bp.post("")
def create():
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form, status=422)
    try:
        token, secret = api_tokens.create_token(session=get_session(), user=current_user.user, name=form.name.data,
                                                scope=TokenScope(form.scope.data), days=form.days.data)
    except DomainError as error:
        show_errors(form, error)
        return _page(form, problem=error.message, status=422)
    audit.record(audit.API_TOKEN, user_id=current_user.id,
                 detail=f"made {token.scope.value} token {token.shown_start}…")
    return _page(TokenForm(formdata=None), new_secret=secret, new_token=token)


@bp.post("/<int:token_id>/renew")
def renew(token_id: int):
    if not ConfirmClearForm().validate_on_submit():
        return redirect(url_for("tokens.index"), code=303)
    try:
        token = api_tokens.renew_token(session=get_session(), user=current_user.user, token_id=token_id)
    except NotFound:
        abort(404)
    except DomainError as error:
        flash(error.message)
    else:
        flash(f"“{token.name}” now works until {token.expires_at.date().isoformat()}.")
    return redirect(url_for("tokens.index"), code=303)


@bp.post("/<int:token_id>/revoke")
def revoke(token_id: int):
    if ConfirmClearForm().validate_on_submit():
        try:
            token = api_tokens.revoke_token(session=get_session(), user=current_user.user, token_id=token_id)
        except NotFound:
            abort(404)  # another's, or none: the same answer, so that ids say nothing
        audit.record(audit.API_TOKEN, user_id=current_user.id, detail=f"revoked token {token.shown_start}…")
        flash(f"“{token.name}” is revoked: it works no more.")
    return redirect(url_for("tokens.index"), code=303)


def _page(form: TokenForm, *, problem: str | None = None, new_secret: str | None = None, new_token=None,
          status: int = 200):
    tokens = tokens_of(session=get_session(), user_id=current_user.id)
    return render_template("me/tokens.html", form=form, tokens=tokens, now=utc_now(), problem=problem,
                           new_secret=new_secret, new_token=new_token, button=ConfirmClearForm()), status
