"""The second factor's pages: the code asked after the password (/login/code), enrolling at sign-in when an admin
must (/login/enrol), and one's own second factor while signed in (/me/two-step).

The QR code is drawn here (segno, as an SVG in a data: address, which the Content-Security-Policy allows for
images); the key is shown beside it as text, and as an otpauth:// link for a phone's own browser. A wrong code
counts as a failed sign-in of the account and its address (limits.py), so guessing codes is slowed like guessing
passwords.
"""

import segno
from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from .. import audit, limits
from ..db import get_session
from ..enums import Role
from ..errors import DomainError
from ..forms import CodeForm
from ..queries.users import get_user
from ..services import second_factor
from . import sign_in_guard
from .auth import TOO_MANY, complete_sign_in, half_signed_in, safe_next
from .rendering import show_errors

bp = Blueprint("second_factor", __name__)
WRONG = "That code did not work: type the newest code your app shows, or a recovery code you have not used."
SHOWN_CODES = "recovery_codes_to_show"  # in the session cookie, for the one page that shows them
ENROLLING = "second_factor_secret"  # the key being enrolled, until a code proves the phone holds it
AGAIN = "Sign in again: the time to type the code ran out, or this browser did not type the password."


@bp.route("/login/code", methods=["GET", "POST"])
def code():
    half = half_signed_in(second_factor.CHECK)
    if half is None:
        flash(AGAIN)
        return redirect(url_for("auth.login"), code=303)
    form = CodeForm()
    if form.validate_on_submit():
        guard = _guard(half["email"])
        if guard.refusal:
            return _too_many(form, guard.refusal, "auth/code.html")
        used = second_factor.accept(session=get_session(), user_id=half["user_id"], code=form.code.data)
        if used:
            user = get_user(session=get_session(), user_id=half["user_id"])
            return complete_sign_in(user, guard, half["next"], detail=f"second factor: {used}")
        sign_in_guard.count_failure(guard, half["email"])
        audit.record(audit.SIGN_IN_REFUSED, email=half["email"], user_id=half["user_id"], detail="wrong second factor")
        form.code.errors.append(WRONG)
    return render_template("auth/code.html", form=form), 422 if form.errors else 200


@bp.route("/login/enrol", methods=["GET", "POST"])
def enrol():
    half = half_signed_in(second_factor.ENROL)
    if half is None:
        flash(AGAIN)
        return redirect(url_for("auth.login"), code=303)
    secret = session.setdefault(ENROLLING, second_factor.new_secret())
    form = CodeForm()
    if form.validate_on_submit():
        guard = _guard(half["email"])
        if guard.refusal:
            return _too_many(form, guard.refusal, "auth/enrol.html", **_enrolment(secret, half["email"]))
        try:
            codes = second_factor.enrol(session=get_session(), user_id=half["user_id"], secret=secret,
                                        code=form.code.data)
        except DomainError as error:
            sign_in_guard.count_failure(guard, half["email"])
            show_errors(form, error)
        else:
            user = get_user(session=get_session(), user_id=half["user_id"])
            return complete_sign_in(user, guard, url_for("second_factor.shown_codes", next=half["next"]),
                                    detail="second factor enrolled", keep={SHOWN_CODES: codes})
    return render_template("auth/enrol.html", form=form, **_enrolment(secret, half["email"])), \
        422 if form.errors else 200


def _guard(email: str) -> limits.SignInGuard:
    device = limits.device_nonce(request.cookies.get(limits.DEVICE_COOKIE), email)
    return limits.guard_sign_in(email, request.remote_addr, device, session=get_session())


def _too_many(form, refused: limits.Refusal, template: str, **context):
    audit.record(audit.RATE_LIMITED, detail=f"second factor {refused.scope} ({refused.seconds} s)")
    problem = TOO_MANY[refused.scope].format(wait=refused.wait)
    response = current_app.make_response((render_template(template, form=form, problem=problem, **context), 429))
    response.headers["Retry-After"] = str(refused.seconds)
    return response


def _enrolment(secret: str, email: str) -> dict:
    """What the enrolment page shows: the QR code, the key as text in groups of four, and the otpauth link."""
    address = second_factor.enrolment_address(secret, email)
    return {"qr_code": segno.make(address, error="m").svg_data_uri(scale=5, dark="#000", light="#fff"),
            "key": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)), "otpauth": address}


@bp.get("/me/two-step/codes")
def shown_codes():
    """The recovery codes just made, shown once: the next visit finds none."""
    codes = session.pop(SHOWN_CODES, None)
    if not codes:
        return redirect(url_for("second_factor.mine"), code=303)
    return render_template("me/recovery_codes.html", codes=codes, next_page=safe_next(request.args.get("next")))


@bp.route("/me/two-step", methods=["GET", "POST"])
def mine():
    user = current_user.user
    if user.password_hash is None:
        return render_template("me/two_step.html", enrolled=False, without_password=True)
    if user.totp_secret:
        left = second_factor.recovery_codes_left(session=get_session(), user_id=user.id)
        return render_template("me/two_step.html", enrolled=True, left=left, form=CodeForm(),
                               must=_must_keep(user))
    secret = session.setdefault(ENROLLING, second_factor.new_secret())
    form = CodeForm()
    if form.validate_on_submit():
        try:
            codes = second_factor.enrol(session=get_session(), user_id=user.id, secret=secret, code=form.code.data)
        except DomainError as error:
            show_errors(form, error)
        else:
            session.pop(ENROLLING, None)
            session[SHOWN_CODES] = codes
            audit.record(audit.SECOND_FACTOR, user_id=user.id, detail="enrolled")
            return redirect(url_for("second_factor.shown_codes"), code=303)
    return render_template("me/two_step.html", enrolled=False, form=form, **_enrolment(secret, user.email)), \
        422 if form.errors else 200


@bp.post("/me/two-step/recovery-codes")
def new_codes():
    session[SHOWN_CODES] = second_factor.new_recovery_codes(session=get_session(), user_id=current_user.id)
    audit.record(audit.SECOND_FACTOR, user_id=current_user.id, detail="new recovery codes")
    return redirect(url_for("second_factor.shown_codes"), code=303)


@bp.post("/me/two-step/off")
def turn_off():
    form = CodeForm()
    user = current_user.user
    if not form.validate_on_submit() or not second_factor.accept(session=get_session(), user_id=user.id,
                                                                   code=form.code.data):
        flash("The second factor stays on: that code did not work.")
        return redirect(url_for("second_factor.mine"), code=303)
    try:
        second_factor.turn_off(session=get_session(), user_id=user.id,
                               admins_must=current_app.config["SECOND_FACTOR_FOR_ADMINS"])
    except DomainError as error:
        flash(error.message)
    else:
        audit.record(audit.SECOND_FACTOR, user_id=user.id, detail="turned off")
        flash("The second factor is off: a password alone signs you in.")
    return redirect(url_for("second_factor.mine"), code=303)


def _must_keep(user) -> bool:
    return bool(current_app.config["SECOND_FACTOR_FOR_ADMINS"]) and user.has_role(Role.ADMIN)
