"""Signing in and out, the sign-in requirement on every page, and roles."""

from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user

from ..db import get_session
from ..enums import Role
from ..forms import SignInForm
from ..services import auth

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to continue."
OPEN_ENDPOINTS = {"auth.login", "health.healthz", "static", "invite.accept"}


class Account(UserMixin):
    """The signed-in person: their User, and the token of this browser's session."""

    def __init__(self, user, token: str):
        self.user = user
        self.token = token

    def get_id(self) -> str:
        return self.token

    def __getattr__(self, name):
        return getattr(self.user, name)


@login_manager.user_loader
def load_account(token: str) -> Account | None:
    user = auth.signed_in_user(session=get_session(), token=token)
    return Account(user, token) if user else None


def require_sign_in():
    if request.endpoint not in OPEN_ENDPOINTS and not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


def role_required(*roles: Role):
    """The view answers 403 unless the person holds one of these roles."""

    def decorate(view):
        @wraps(view)
        def checked(*args, **kwargs):
            if not current_user.has_any(*roles):
                abort(403)
            return view(*args, **kwargs)

        return checked

    return decorate


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = SignInForm()
    if form.validate_on_submit():
        signed_in = auth.sign_in(session=get_session(), email=form.email.data, password=form.password.data)
        if signed_in:
            user, token = signed_in
            session.clear()  # a new session at sign-in: nothing from before survives
            login_user(Account(user, token))
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(auth.SIGN_IN_REFUSED)
    return render_template("auth/login.html", form=form), 200 if not form.errors else 422


@bp.post("/logout")
def logout():
    auth.sign_out(session=get_session(), token=current_user.token)
    logout_user()
    session.clear()
    flash("You are signed out.")
    return redirect(url_for("auth.login"), code=303)


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an address elsewhere."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("index")


def init_app(app) -> None:
    login_manager.init_app(app)
    app.before_request(require_sign_in)
    app.register_blueprint(bp)
