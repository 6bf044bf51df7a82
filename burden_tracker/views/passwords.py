"""A person's own password: "Forgot your password?" and the link it emails (/login/forgot, /login/reset/<token>),
and changing it while signed in (/me/password).

The forgotten-password page answers the same, and as quickly, whether or not the email names an account: the
link is emailed once the response has gone. Every request for a link counts against the address and the email
typed, so nobody floods an inbox; a run of wrong links counts like wrong invite links (views/auth.py).
"""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import audit, limits
from ..addresses import emailed_address
from ..db import get_session
from ..errors import DomainError, NotFound
from ..forms import ChangePasswordForm, ForgotPasswordForm, SetPasswordForm
from ..queries.invites import RESET, InviteRefused, invited_user
from ..services import passwords
from ..services.invites import accept_invite
from .auth import sign_in_through_link
from .mailing import email_once_answered
from .rendering import show_errors
from .sign_on_provider import provider, provider_name

bp = Blueprint("passwords", __name__)
TOO_MANY = {
    "account": "Too many links were asked for this email. Try again in {wait}.",
    "address": "Too many links were asked for from this network address. Try again in {wait}.",
}
SENT = ("If an account here uses that email, a link to choose a new password is on its way to it. It works once, "
        "for one hour. Nothing arrived? Check the spam folder, or ask an administrator.")


def mail_ready() -> bool:
    """Whether this server can email a link: an SMTP server, and BASE_URL for the link's address."""
    return bool(current_app.config.get("SMTP_HOST") and current_app.config.get("BASE_URL"))


@bp.route("/login/forgot", methods=["GET", "POST"])
def forgot():
    form = ForgotPasswordForm()
    if not mail_ready() or not form.validate_on_submit():
        return _forgot_page(form)
    counters = limits.reset_counters(form.email.data, request.remote_addr)
    refused = limits.refusal(counters, session=get_session())
    if refused:
        audit.record(audit.RATE_LIMITED, detail=f"password reset {refused.scope} ({refused.seconds} s)")
        response = current_app.make_response(_forgot_page(form, TOO_MANY[refused.scope].format(wait=refused.wait),
                                                          429))
        response.headers["Retry-After"] = str(refused.seconds)
        return response
    limits.count_failure(counters, session=get_session())
    issued = passwords.issue_reset(session=get_session(), email=form.email.data,
                                   passwords_for_all=not current_app.config["SSO_ONLY"])
    if issued:
        user, token = issued
        audit.record(audit.RESET_ASKED, email=user.email, user_id=user.id)
        email_once_answered(to=user.email, subject=passwords.RESET_SUBJECT,
                            text=passwords.reset_text(emailed_address("passwords.reset", token=token)))
    flash(SENT)
    return redirect(url_for("auth.login"), code=303)


def _forgot_page(form, problem: str | None = None, status: int | None = None):
    status = status or (422 if form.errors else 200)
    return render_template("auth/forgot.html", form=form, problem=problem, mail_ready=mail_ready(),
                           provider_name=provider_name() if provider() else None), status


@bp.route("/login/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    return one_time_link_page(token, purpose=RESET, template="auth/reset.html",
                              done="Your new password is set, and every browser you were signed in on is signed out. "
                                   "Sign in with it.")


def one_time_link_page(token: str, *, purpose: str, template: str, done: str, signs_in: bool = False):
    """The page of a one-time link to set a password (an admin's invite, or a reset): its form, the password set
    once, or why the link no longer works (410). A token never issued for this purpose is no such page. With
    signs_in, the person is signed in once the password is set (views/auth.sign_in_through_link)."""
    form = SetPasswordForm()
    try:
        if form.validate_on_submit():
            user = accept_invite(session=get_session(), token=token, password=form.password.data, purpose=purpose)
            audit.record(audit.PASSWORD_CHANGED, email=user.email, user_id=user.id, detail=f"through a {purpose} link")
            signed_in = signs_in and sign_in_through_link(user, url_for("index"), detail=f"through a {purpose} link")
            if signed_in:
                return signed_in
            flash(done)
            return redirect(url_for("auth.login"), code=303)
    except (NotFound, InviteRefused):
        pass  # told below, as for a GET
    except DomainError as error:
        show_errors(form, error)
    try:
        person = invited_user(session=get_session(), token=token, purpose=purpose)
    except NotFound:
        abort(404)
    except InviteRefused as refused:
        return render_template("admin/invite_refused.html", message=refused.message), 410
    return render_template(template, form=form, person=person), 422 if form.errors else 200


@bp.route("/me/password", methods=["GET", "POST"])
def change():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            passwords.change_password(session=get_session(), user_id=current_user.id, current=form.current.data,
                                      new=form.password.data, token=current_user.token)
        except DomainError as error:
            show_errors(form, error)
        else:
            audit.record(audit.PASSWORD_CHANGED, email=current_user.email, user_id=current_user.id)
            flash("Your password is changed. Every other browser you were signed in on is signed out.")
            return redirect(url_for("passwords.change"), code=303)
    has_password = current_user.user.password_hash is not None
    return render_template("me/password.html", form=form, has_password=has_password,
                           provider_name=provider_name() if provider() else None), 422 if form.errors else 200
