"""Signing in and out, the sign-in requirement on every page, roles, and the brakes on guessing.

Failed sign-ins are counted per account and per address (limits.py), and checked before any password is, so a
refusal for too many tries says nothing about the password. A good sign-in leaves a device cookie, which spares
that browser the account's count from then on, signing out included; an account that starts to wait has its holder
emailed, once the response has gone (views/sign_in_guard.py). Every attempt, sign-out, expired session and refusal
is written to the audit log (audit.py).

One module of more than 300 lines, because signing in, the sign-in requirement on every page and the brakes on
guessing are one flow: the session's cookie, the counts checked before a password and the audit of each attempt
are read together whenever any of them changes.
"""

import time
import unicodedata
from contextlib import contextmanager
from datetime import timedelta
from functools import cached_property, wraps
from urllib.parse import unquote, urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import LoginManager, UserMixin, current_user, login_url, login_user, logout_user
from sqlalchemy.exc import SQLAlchemyError

from .. import audit, limits
from ..db import READ_ONLY_METHODS, get_session, open_session
from ..enums import Role
from ..errors import DomainError
from ..forms import SignInForm
from ..models import User
from ..queries.users import find_user, get_user
from ..services import auth, second_factor
from . import api, sign_in_guard
from .sign_on_provider import logout_address, provider, provider_name

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to continue."
OPEN_ENDPOINTS = {"auth.login", "health.healthz", "static", "invite.accept", "sso.start", "sso.callback",
                  "passwords.forgot", "passwords.reset", "second_factor.code", "second_factor.enrol"}
# One-time links to set a password: a run of wrong ones from one address is slowed like failed sign-ins.
LINK_ENDPOINTS = {"invite.accept", "passwords.reset"}
# Asked for by the page on its own (the vote tally polls every few seconds): not a sign that anyone is there,
# so it does not keep a session from going idle.
BACKGROUND_ENDPOINTS = {"decide.tally"}
TOO_MANY = {
    "account": "Too many failed sign-ins for this account. Try again in {wait}.",
    "address": "Too many failed sign-ins from this network address. Try again in {wait}.",
}
# What signing out clears (issue 16). "cookies" applies to the whole registrable domain: where the hospital's other
# signed-in sites share it, SIGN_OUT_CLEARS_COOKIES off keeps them, and the session cookie is expired by name alone
# (its row is gone anyway, so a copy of it is worth nothing). The device cookie must outlive signing out, people
# come back to a ward computer later in the shift: when "cookies" drops it, the sign-out hands it over.
CLEAR_SITE_DATA = {True: '"cookies", "storage"', False: '"storage"'}
SIGNED_OUT = "You are signed out."
HALF_SIGNED_IN = "half_signed_in"  # the session cookie's key while the second factor is asked
HALF_SIGNED_IN_SECONDS = 10 * 60
LONGEST_NEXT = 2000  # far longer than any address of ours, with its filters
ENDED = {
    auth.IDLE: "You were signed out after {idle} minutes without activity. Sign in again to continue.",
    auth.LIFETIME: "You were signed out because a session lasts at most {hours} hours. Sign in again to continue.",
}


class Account(UserMixin):
    """The signed-in person (id, email, name, roles) and the token of this browser's session. Their User row is
    read only when a view hands it to a service: most pages need no more than the person."""

    def __init__(self, person: auth.SignedIn, token: str):
        self.person = person
        self.token = token

    def get_id(self) -> str:
        return self.token

    @cached_property
    def user(self) -> User:
        return get_user(session=get_session(), user_id=self.person.id)

    def __getattr__(self, name):
        if name.startswith("_") or name == "person":  # not set yet (a copy): no endless lookup
            raise AttributeError(name)
        return getattr(self.person, name)


def session_policy() -> auth.SessionPolicy:
    config = current_app.config
    return auth.SessionPolicy(idle=timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
                              lifetime=timedelta(hours=config["SESSION_MAX_HOURS"]))


@login_manager.user_loader
def load_account(token: str) -> Account | None:
    state = auth.session_state(session=get_session(), token=token, policy=session_policy())
    if state.ended_by:
        _try_writing(lambda writer: auth.sign_out(session=writer, token=token))
        g.session_ended_by = state.ended_by
        audit.record(audit.SESSION_EXPIRED, user_id=state.person.id, detail=state.ended_by)
        return None
    if state.touch_due and request.endpoint not in BACKGROUND_ENDPOINTS:
        _try_writing(lambda writer: auth.touch_session(session=writer, token=token))
    return Account(state.person, token) if state.person else None


def _try_writing(write) -> None:
    """A write made while loading the user. On a read-only or full database it fails, and the page is
    answered all the same: reading must not depend on it."""
    try:
        with writing_session() as writer:
            write(writer)
    except SQLAlchemyError:
        get_session().rollback()
        current_app.logger.warning("Could not record a session's activity or end", exc_info=True)


@contextmanager
def writing_session():
    """Where a write made while loading the user (or in a GET that must write, as single sign-on's return) goes.

    A GET's session begins DEFERRED on SQLite (db.py): turning its read into a write can fail at once with
    "database is locked" when another worker wrote meanwhile, so a GET writes through a short transaction of
    its own. Any other method's session already holds the write lock (BEGIN IMMEDIATE): a second writer would
    wait on it, so the write goes through that session and is committed straight away.
    """
    if request.method in READ_ONLY_METHODS:
        with open_session(current_app.extensions["db_engine"]) as own:
            yield own
    else:
        yield get_session()


def where_from() -> auth.Where:
    """This request's browser and address, kept with a new session for the person's list of them."""
    return auth.Where(request.user_agent.string, request.remote_addr)


def require_sign_in():
    if api.answers_here():
        return None  # its token, never the browser's session, says who calls (views/api.py)
    if request.endpoint in OPEN_ENDPOINTS or current_user.is_authenticated:
        return None
    ended_by = g.pop("session_ended_by", None)
    if ended_by is None:
        return login_manager.unauthorized()
    session.clear()  # the token it held names nothing any more
    config = current_app.config
    flash(ENDED[ended_by].format(idle=config["SESSION_IDLE_MINUTES"], hours=config["SESSION_MAX_HOURS"]))
    return redirect(login_url(login_manager.login_view, next_url=request.url))


def role_required(*roles: Role):
    """The view answers 403 unless the person holds one of these roles."""

    def decorate(view):
        @wraps(view)
        def checked(*args, **kwargs):
            if not current_user.has_any(*roles):
                g.refusal_reason = "needs " + " or ".join(role.value for role in roles)
                abort(403)
            return view(*args, **kwargs)

        return checked

    return decorate


def admins_only():
    """A before_request for the blueprints of /admin: 403 to anyone but an admin, for every route."""
    if not current_user.has_any(Role.ADMIN):
        g.refusal_reason = "needs admin"
        abort(403)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET" and request.args.get("signed_out") == "yes":
        return _signed_out_page()
    form = SignInForm()
    tried = _tried(form.email.data)
    if not form.validate_on_submit():
        if form.is_submitted():
            audit.record(audit.SIGN_IN_REFUSED, email=tried, detail="incomplete form")
        return _sign_in_page(form)
    device = limits.device_nonce(request.cookies.get(limits.DEVICE_COOKIE), form.email.data)
    guard = limits.guard_sign_in(form.email.data, request.remote_addr, device, session=get_session())
    if guard.refusal:
        audit.record(audit.RATE_LIMITED, email=tried, detail=f"{guard.refusal.scope} ({guard.refusal.seconds} s)")
        return _too_many_sign_ins(form, guard.refusal)
    try:
        user = auth.check_password(session=get_session(), email=form.email.data, password=form.password.data,
                                   break_glass_only=current_app.config["SSO_ONLY"])
    except DomainError as passwords_off:
        audit.record(audit.SIGN_IN_REFUSED, email=tried, detail="passwords are off (SSO_ONLY)")
        return _sign_in_page(form, passwords_off.message, 403)
    if not user:
        sign_in_guard.count_failure(guard, form.email.data)
        audit.record(audit.SIGN_IN_REFUSED, email=tried)
        form.password.errors.append(auth.SIGN_IN_REFUSED)
        return _sign_in_page(form)
    next_page = safe_next(request.args.get("next"))
    step = second_factor.needed(user, admins_must=current_app.config["SECOND_FACTOR_FOR_ADMINS"])
    if step:
        return _ask_second_factor(user, step, next_page)
    detail = "account held; known device" if guard.exempt and guard.account_held else None
    return complete_sign_in(user, guard, next_page, detail=detail)


def complete_sign_in(user: User, guard: limits.SignInGuard, next_page: str, *, detail: str | None = None,
                     keep: dict | None = None):
    """Every proof is in: a new session (nothing from before survives it but `keep`), and on to next_page."""
    token = auth.start_session(session=get_session(), user=user, policy=session_policy(), where=where_from())
    limits.forget_failures(guard.forgiven, session=get_session())
    audit.record(audit.SIGN_IN_OK, email=user.email, user_id=user.id, detail=detail)
    session.clear()
    session.update(keep or {})
    login_user(Account(auth.SignedIn.of(user), token))
    return sign_in_guard.remember_device(redirect(next_page), user.email)


def sign_in_through_link(user: User, next_page: str, *, detail: str):
    """A one-time link emailed to the person just proved who they are, and they chose a password: signed in, or on
    to their second factor when they need one. Where passwords are off (SSO_ONLY), only a break-glass account
    may use one, as at the sign-in form. The link was held to its own limits (limits.invite_counters)."""
    if current_app.config["SSO_ONLY"] and not user.break_glass:
        return None
    step = second_factor.needed(user, admins_must=current_app.config["SECOND_FACTOR_FOR_ADMINS"])
    if step:
        answer = _ask_second_factor(user, step, next_page)
        flash("Your password is set. One more step: your second factor.")  # into the session begun just now
        return answer
    device = limits.device_nonce(request.cookies.get(limits.DEVICE_COOKIE), user.email)
    guard = limits.guard_sign_in(user.email, request.remote_addr, device, session=get_session())
    answer = complete_sign_in(user, guard, next_page, detail=detail)
    flash("Your password is set, and you are signed in. Welcome to Burden Tracker.")
    return answer


def _ask_second_factor(user: User, step: str, next_page: str):
    """The password was right; the code comes next, within HALF_SIGNED_IN_SECONDS, in this browser only."""
    session.clear()
    session[HALF_SIGNED_IN] = {"user_id": user.id, "email": user.email, "step": step, "since": time.time(),
                               "next": next_page}
    endpoint = "second_factor.code" if step == second_factor.CHECK else "second_factor.enrol"
    return redirect(url_for(endpoint), code=303)


def half_signed_in(step: str) -> dict | None:
    """Who typed the right password in this browser and still owes this step of the second factor, if anyone."""
    half = session.get(HALF_SIGNED_IN)
    if not half or half.get("step") != step or time.time() - half.get("since", 0) > HALF_SIGNED_IN_SECONDS:
        return None
    return half


def _tried(email) -> str | None:
    """The email typed, for the audit log, when it names an account (else only a hash of it)."""
    known = isinstance(email, str) and find_user(session=get_session(), email=email) is not None
    return audit.attempted_email(email, known=known)


def _sign_in_page(form, problem: str | None = None, status: int | None = None):
    status = status or (422 if form.errors else 200)
    return render_template("auth/login.html", form=form, problem=problem, sso_only=current_app.config["SSO_ONLY"],
                           provider_name=provider_name() if provider() else None), status


def _too_many_sign_ins(form, refused: limits.Refusal):
    response = current_app.make_response(_sign_in_page(form, TOO_MANY[refused.scope].format(wait=refused.wait), 429))
    response.headers["Retry-After"] = str(refused.seconds)
    return response


def _signed_out_page():
    """Where signing out leads. It says so itself: a flash would need the session cookie the sign-out expired.
    It also sets again the device cookie the sign-out handed over, when there is one."""
    flash(SIGNED_OUT)
    response = current_app.make_response(_sign_in_page(SignInForm()))
    if handover := request.args.get("device"):
        with writing_session() as writer:
            return sign_in_guard.take_back_device(response, handover, session=writer)
    return response


@bp.post("/logout")
def logout():
    """Signs out here, then at the sign-in provider when the session began there and it offers to."""
    id_token = auth.session_id_token(session=get_session(), token=current_user.token)
    auth.sign_out(session=get_session(), token=current_user.token)
    audit.record(audit.SIGNED_OUT, user_id=current_user.id)
    logout_user()
    session.clear()  # emptied, the session cookie is expired by this response
    clears_cookies = bool(current_app.config["SIGN_OUT_CLEARS_COOKIES"])
    at_provider = logout_address(id_token)
    # The provider's sign-out leads back to a registered address, which cannot carry the device cookie's handover.
    handover = sign_in_guard.hand_over_device() if clears_cookies and not at_provider else None
    response = redirect(at_provider or url_for("auth.login", signed_out="yes", device=handover), code=303)
    # On a shared ward computer nothing of the session may stay behind: the browser drops this site's storage, and
    # its cookies unless the setting says not to, including anything a script or an extension kept there.
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA[clears_cookies]
    return response


def safe_next(target: str | None) -> str:
    """Where to go after signing in: the page asked for when it is a path on this site, else the home page."""
    return target if _is_local_path(target) else url_for("index")


def _is_local_path(target) -> bool:
    """A path on this site, however a browser or a later hop reads it.

    Browsers drop tabs and line breaks inside an address, trim spaces and controls around it and read a backslash as
    a slash, so "/\t/evil.example" leads to evil.example; a line break would also split the Location header. So no
    such character is kept at all, and the path must stay one on this site once percent-decoded ("/%2F%2Fevil.example")
    and once Unicode look-alikes are folded as IDNA folds them ("/／evil.example").
    """
    if not isinstance(target, str) or len(target) > LONGEST_NEXT:
        return False
    try:
        decoded = unquote(target, errors="strict")
    except UnicodeDecodeError:
        return False
    return all(_stays_here(address) for address in (target, decoded, unicodedata.normalize("NFKC", decoded)))


def _stays_here(address: str) -> bool:
    parts = urlsplit(address)
    return (address.isprintable() and address.startswith("/") and not address.startswith("//")
            and "\\" not in address and not parts.scheme and not parts.netloc)


# Invite links (views/admin.py) are open to anyone: a run of wrong ones from one address is slowed the same way.


def guard_invites():
    if request.endpoint not in LINK_ENDPOINTS:
        return None
    refused = limits.refusal(limits.invite_counters(request.remote_addr), session=get_session())
    if refused is None:
        return None
    audit.record(audit.RATE_LIMITED, detail=f"invite {refused.scope} ({refused.seconds} s)")
    response = current_app.make_response((render_template("auth/too_many.html", wait=refused.wait), 429))
    response.headers["Retry-After"] = str(refused.seconds)
    return response


def count_refused_invites(response):
    if request.endpoint in LINK_ENDPOINTS and response.status_code in (404, 410):
        if request.method not in READ_ONLY_METHODS:
            get_session().rollback()  # a refused link changed nothing: the count must commit nothing else
        with writing_session() as writer:
            limits.count_failure(limits.invite_counters(request.remote_addr), session=writer)
        audit.record(audit.INVITE_REFUSED, detail=str(response.status_code))
    return response


def record_forbidden(response):
    """Every 403, whichever view refused: who, what and why when the view said."""
    if response.status_code == 403:
        user_id = current_user.id if current_user.is_authenticated else None
        audit.record(audit.FORBIDDEN, user_id=user_id, detail=g.get("refusal_reason"))
    return response


def init_app(app) -> None:
    limits.init_app(app)
    audit.init_app(app)
    login_manager.init_app(app)
    app.before_request(require_sign_in)
    app.before_request(guard_invites)
    app.after_request(count_refused_invites)
    app.after_request(record_forbidden)
    app.register_blueprint(bp)
