"""Asking again who someone is before a sensitive admin action: granting roles, issuing an invite or a reset for
someone else, deactivating, and changing settings. A session proves its person at sign-in; once that is more than
ten minutes old (services/auth.py: FRESH_PROOF), such a form leads first to /me/confirm: the password and, when
the person has one, the second factor's code, or a new single sign-on at the provider. The form is then shown
again, untouched, to be sent once more: nothing is done on the strength of an old proof.
"""

from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import audit, limits
from ..db import get_session
from ..errors import DomainError
from ..forms import ConfirmForm
from ..services import auth, second_factor
from . import sign_in_guard
from .auth import TOO_MANY, safe_next
from .sign_on_provider import provider, provider_name

bp = Blueprint("reauth", __name__)
ASK_AGAIN = "Confirm it is you before this change: it was not done. Then send the form again."
WRONG = "That did not prove it: type your password and the newest code your app shows."


def fresh_proof_required(view):
    """A POST goes ahead only within ten minutes of a proof of who its person is; else, to /me/confirm."""

    @wraps(view)
    def checked(*args, **kwargs):
        if request.method == "POST" and not auth.proof_is_fresh(session=get_session(), token=current_user.token):
            audit.record(audit.FORBIDDEN, user_id=current_user.id, detail="asked to confirm: proof too old")
            flash(ASK_AGAIN)
            return redirect(url_for("reauth.confirm", next=_form_page()), code=303)
        return view(*args, **kwargs)

    return checked


def _form_page() -> str:
    """Where the form was sent from, to show it again: the Referer, when it is a page of this site."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.scheme in ("http", "https"):
        return safe_next(referrer.path + (f"?{referrer.query}" if referrer.query else ""))
    return url_for("admin.index")


@bp.route("/me/confirm", methods=["GET", "POST"])
def confirm():
    user = current_user.user
    next_page = safe_next(request.args.get("next"))
    form = ConfirmForm()
    if user.password_hash is None or not form.validate_on_submit():
        return _page(form, user, next_page)
    device = limits.device_nonce(request.cookies.get(limits.DEVICE_COOKIE), user.email)
    guard = limits.guard_sign_in(user.email, request.remote_addr, device, session=get_session())
    if guard.refusal:
        response = current_app.make_response(_page(form, user, next_page, TOO_MANY[guard.refusal.scope].format(
            wait=guard.refusal.wait), 429))
        response.headers["Retry-After"] = str(guard.refusal.seconds)
        return response
    if _proved(user, form):
        auth.proved_again(session=get_session(), token=current_user.token)
        audit.record(audit.SIGN_IN_OK, email=user.email, user_id=user.id, detail="confirmed before a sensitive action")
        return redirect(next_page, code=303)
    sign_in_guard.count_failure(guard, user.email)
    audit.record(audit.SIGN_IN_REFUSED, email=user.email, user_id=user.id, detail="confirming: wrong proof")
    form.password.errors.append(WRONG)
    return _page(form, user, next_page)


def _proved(user, form: ConfirmForm) -> bool:
    try:
        checked = auth.check_password(session=get_session(), email=user.email, password=form.password.data,
                                      break_glass_only=current_app.config["SSO_ONLY"])
    except DomainError:
        return False
    if checked is None:
        return False
    if not user.totp_secret:
        return True
    return second_factor.accept(session=get_session(), user_id=user.id, code=form.code.data or "") is not None


def _page(form, user, next_page: str, problem: str | None = None, status: int | None = None):
    status = status or (422 if form.errors else 200)
    return render_template("auth/confirm.html", form=form, next_page=next_page, problem=problem,
                           has_password=user.password_hash is not None, has_code=bool(user.totp_secret),
                           provider_name=provider_name() if provider() else None), status
