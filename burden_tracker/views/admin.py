"""Administration at /admin, for admins only: users and roles, departments, categories and settings.

The invite page, /invite/<token>, is outside /admin and needs no sign-in: the person it was made for has
no password yet. It is registered together with the admin pages.

One module of more than 300 lines, because the admin pages share their guard (admins only), their way of showing
a refused change beside its field, and the invite that a new user's page hands over to the invite page.
"""

import logging
from datetime import date

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask import session as browser_session
from flask_login import current_user

from .. import hours
from ..addresses import emailed_address
from ..db import get_session
from ..enums import AuditKind, Role
from ..errors import DomainError, NotFound
from ..forms import MoveDepartmentForm, NameForm, RolesForm, SettingsForm, UserForm
from ..naming import person_named
from ..queries import admin as queries
from ..queries.audit_trail import TrailFilters, trail_page
from ..queries.deciders import sites_decided_by
from ..queries.invites import INVITE
from ..queries.reference import for_lists
from ..queries.users import get_user
from ..services import admin as service
from ..services.invites import INVITE_LIFETIME, email_invite
from .auth import admins_only
from .filters import read_page, read_search, read_value
from .mailing import email_once_answered
from .passwords import one_time_link_page
from .reauth import fresh_proof_required
from .rendering import render, show_errors, wants_fragment

bp = Blueprint("admin", __name__, url_prefix="/admin")
invite_bp = Blueprint("invite", __name__)
NAMED = "<any(sites, departments, categories):kind>"
USERS_PER_PAGE = 25
AUDIT_PER_PAGE = 50
log = logging.getLogger(__name__)


bp.before_request(admins_only)


@bp.context_processor
def role_order() -> dict:
    return {"all_roles": list(Role)}


def _status(form) -> int:
    return 422 if form.errors else 200


@bp.get("")
def index():
    session = get_session()
    return render_template("admin/index.html", awaiting=queries.awaiting_activation(session=session),
                           changes=queries.recent_changes(session=session))


# The security trail


@bp.get("/audit")
def audit():
    """Sign-ins, refusals, rate limits, 403s, CSRF refusals and admin changes, newest first."""
    filters, ignored = _trail_filters(request.args)
    trail = trail_page(session=get_session(), filters=filters, page=read_page(request.args),
                       per_page=AUDIT_PER_PAGE)
    query = {"person": filters.person or None, "kind": filters.kind and filters.kind.value,
             "since": filters.since and filters.since.isoformat(), "until": filters.until and filters.until.isoformat()}
    return render("admin/audit.html", "admin/_audit_lines.html", trail=trail, filters=filters, ignored=ignored,
                  query={name: value for name, value in query.items() if value}, kinds=list(AuditKind))


def _trail_filters(args) -> tuple[TrailFilters, list[str]]:
    ignored = []
    person = read_search(args, "person")
    kind, since, until = (read_value(args, name, parse, ignored) for name, parse in (
        ("kind", AuditKind.from_label), ("since", date.fromisoformat), ("until", date.fromisoformat)))
    return TrailFilters(person=person, kind=kind, since=since, until=until), ignored


# Users


@bp.get("/users")
def users():
    q, page = read_search(request.args), read_page(request.args)
    listing = queries.list_users(session=get_session(), q=q, page=page, per_page=USERS_PER_PAGE)
    return render("admin/users.html", "admin/_user_list.html", listing=listing, q=q)


@bp.route("/users/new", methods=["GET", "POST"])
@fresh_proof_required
def new_user():
    form = UserForm()
    if form.validate_on_submit():
        try:
            user, token = service.create_user(session=get_session(), actor_id=current_user.id, email=form.email.data,
                                              name=form.name.data, roles={Role(r) for r in form.roles.data or []})
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(f"{user.email} was added.")
            _hand_over_invite(user, token)
            return redirect(url_for("admin.user", user_id=user.id), code=303)
    return render_template("admin/user_new.html", form=form), _status(form)


def _hand_over_invite(user, token: str) -> bool:
    """The admin sees the link once, on the next page; it is emailed too when SMTP and BASE_URL are configured.
    Whether it was emailed.

    The emailed link starts with BASE_URL only: the request's Host is the client's word. Without BASE_URL the
    page shows the link under the address the admin's own browser used, and nothing is emailed.
    """
    config = current_app.config
    base_url = config.get("BASE_URL")
    link = emailed_address("invite.accept", token=token) or url_for("invite.accept", token=token, _external=True)
    browser_session["invite_link"] = {"user_id": user.id, "link": link}
    if not config.get("SMTP_HOST"):
        return False
    if not base_url:
        log.warning("BASE_URL is not set: an invite link was not emailed; the admin was asked to send it.")
        flash("The invite link was not emailed (this server has no BASE_URL set): copy it below and send it "
              "yourself.")
        return False
    sent = email_invite(smtp_host=config["SMTP_HOST"], smtp_port=config["SMTP_PORT"],
                        mail_from=config["MAIL_FROM"], to=user.email, link=link)
    flash(f"The invite link was emailed to {user.email}." if sent
          else "The invite link could not be emailed: copy it below and send it yourself.")
    return sent


@bp.get("/users/<int:user_id>")
def user(user_id: int):
    return _user_page(user_id)


def _user_page(user_id: int, *, form: RolesForm | None = None, problem: str | None = None, status: int = 200):
    try:
        person = get_user(session=get_session(), user_id=user_id)
    except NotFound:
        abort(404)
    handed = browser_session.pop("invite_link", None)
    link = handed["link"] if handed and handed["user_id"] == user_id else None
    form = form or RolesForm(formdata=None, data={
        "roles": [role.value for role in person.roles],
        "sites": sorted(sites_decided_by(session=get_session(), user_id=user_id) or ())})
    _offer_sites(form)
    response = make_response(render_template("admin/user.html", person=person, form=form, problem=problem,
                                             invite_link=link, invite_days=INVITE_LIFETIME.days), status)
    if link:
        response.headers["Cache-Control"] = "no-store"  # the link is shown once: not from the cache either
    return response


@bp.post("/users/<int:user_id>/roles")
@fresh_proof_required
def change_roles(user_id: int):
    form = RolesForm()
    if form.validate_on_submit():
        try:
            user = service.change_roles(session=get_session(), actor_id=current_user.id, user_id=user_id,
                                        roles={Role(r) for r in form.roles.data or []},
                                        sites=set(form.sites.data or ()) if _offer_sites(form) else None)
        except NotFound:
            abort(404)
        except DomainError as error:
            show_errors(form, error)
        else:
            flash("Roles saved.")
            _tell(user, "your roles changed", f"changed your roles: you are now "
                                              f"{', '.join(role.value for role in Role if role in user.roles)}.")
            return redirect(url_for("admin.user", user_id=user_id), code=303)
    return _user_page(user_id, form=form, status=422)


def _offer_sites(form: RolesForm) -> bool:
    """Sites are offered when there is more than one to choose from."""
    form.sites.choices = for_lists(session=get_session()).sites
    return len(form.sites.choices) > 1


USER_ACTIONS = {
    "deactivate": (service.deactivate, "The account is deactivated and signed out everywhere."),
    "activate": (service.activate, "The account is active."),
    "invite": (service.new_invite, "A new invite link was made; earlier links no longer work."),
}


# What the person whose account an admin changed is told, by email: the subject's end, and what the admin did.
TOLD = {
    "deactivate": ("your account was deactivated", "deactivated your account: you are signed out everywhere."),
    "activate": ("your account is active again", "made your account active again."),
    "invite": ("a new link to set your password", "made a new link to set your password; earlier links stop "
                                                  "working. The administrator hands it to you."),
}


@bp.post("/users/<int:user_id>/<any(deactivate, activate, invite):action>")
@fresh_proof_required
def user_action(user_id: int, action: str):
    act, done = USER_ACTIONS[action]
    session = get_session()
    try:
        result = act(session=session, actor_id=current_user.id, user_id=user_id)
    except NotFound:
        abort(404)
    except DomainError as error:
        return _user_page(user_id, problem=error.message, status=422)
    flash(done)
    person = get_user(session=session, user_id=user_id)
    emailed_link = isinstance(result, str) and _hand_over_invite(person, result)  # activating may give a link too
    if not emailed_link:
        _tell(person, *TOLD[action])
    return redirect(url_for("admin.user", user_id=user_id), code=303)


def _tell(person, subject_end: str, what: str) -> None:
    """The person whose roles or account an admin changed is emailed: a change they did not expect is a warning."""
    admin = person_named(current_user.name, current_user.email)
    email_once_answered(to=person.email, subject=f"Burden Tracker: {subject_end}",
                        text=f"{admin}, an administrator of Burden Tracker, {what}\n\nIf you did not expect this, "
                             "tell your IT service desk.\n")


# Departments and categories


def _name_form(kind: str, **options) -> NameForm:
    """The add or rename form; a new department also chooses its site."""
    form = NameForm(**options)
    if kind == "departments" and "data" not in options:
        form.site_id.choices = queries.site_choices(session=get_session())
    else:
        del form.site_id
    return form


def _named_page(kind: str, form: NameForm):
    session = get_session()
    items = queries.named_items(session=session, kind=kind)
    return render_template("admin/named.html", kind=kind, label=queries.NAMED_LISTS[kind][1], items=items,
                           form=form, sites=_sites(kind)), _status(form)


def _item(kind: str, item_id: int):
    try:
        return queries.named_item(session=get_session(), kind=kind, item_id=item_id)
    except NotFound:
        abort(404)


@bp.route(f"/{NAMED}", methods=["GET", "POST"])
def named(kind: str):
    form = _name_form(kind)
    if form.validate_on_submit():
        try:
            item = service.add_named(session=get_session(), actor_id=current_user.id, kind=kind, name=form.name.data,
                                     site_id=form.site_id.data if "site_id" in form else None)
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(f"“{item.name}” was added.")
            return redirect(url_for("admin.named", kind=kind), code=303)
    return _named_page(kind, form)


@bp.get(f"/{NAMED}/<int:item_id>")
def named_item(kind: str, item_id: int):
    """One line of the list, for htmx to put back when a rename is cancelled."""
    if not wants_fragment():
        return redirect(url_for("admin.named", kind=kind))
    return render_template("admin/_named_item.html", kind=kind, item=_item(kind, item_id), sites=_sites(kind))


@bp.route(f"/{NAMED}/<int:item_id>/rename", methods=["GET", "POST"])
def rename(kind: str, item_id: int):
    item = _item(kind, item_id)
    form = _name_form(kind, data={"name": item.name}, prefix=f"{kind}-{item_id}")  # several may be open at once
    if form.validate_on_submit():
        try:
            item = service.rename_named(session=get_session(), actor_id=current_user.id, kind=kind, item_id=item_id,
                                        name=form.name.data)
        except DomainError as error:
            show_errors(form, error)
        else:
            if wants_fragment():
                return render_template("admin/_named_item.html", kind=kind, item=item, sites=_sites(kind))
            flash(f"Renamed “{item.name}”.")
            return redirect(url_for("admin.named", kind=kind), code=303)
    return render("admin/rename.html", "admin/_rename_form.html", status=_status(form), kind=kind, item=item,
                  form=form, label=queries.NAMED_LISTS[kind][1])


@bp.post(f"/{NAMED}/<int:item_id>/<any(deactivate, reactivate):action>")
def set_named_active(kind: str, item_id: int, action: str):
    try:
        item = service.set_named_active(session=get_session(), actor_id=current_user.id, kind=kind,
                                        item_id=item_id, active=action == "reactivate")
    except NotFound:
        abort(404)
    if wants_fragment():
        return render_template("admin/_named_item.html", kind=kind, item=item, sites=_sites(kind))
    flash(f"“{item.name}” is {'active' if item.active else 'inactive'}.")
    return redirect(url_for("admin.named", kind=kind), code=303)


@bp.post("/departments/<int:item_id>/site")
def move_department(item_id: int):
    form = MoveDepartmentForm()
    try:
        if not form.validate_on_submit():
            raise DomainError("Choose a site.", fields={"site_id": "choose a site"})
        department = service.move_department(session=get_session(), actor_id=current_user.id, department_id=item_id,
                                             site_id=form.site_id.data)
    except NotFound:
        abort(404)
    except DomainError as error:
        said = f"Nothing was changed: {error.message[:1].lower()}{error.message[1:]}"
        if wants_fragment():  # the line itself, with why, rather than the whole page in its place
            return render_template("admin/_named_item.html", kind="departments", problem=said, sites=_sites(
                "departments"), item=queries.named_item(session=get_session(), kind="departments",
                                                        item_id=item_id)), 422
        flash(said)
        return redirect(url_for("admin.named", kind="departments"), code=303)
    if wants_fragment():
        return render_template("admin/_named_item.html", kind="departments", item=department,
                               sites=_sites("departments"))
    flash(f"“{department.name}” moved.")
    return redirect(url_for("admin.named", kind="departments"), code=303)


def _sites(kind: str) -> list[tuple[int, str]]:
    return queries.site_choices(session=get_session()) if kind == "departments" else []


# Settings


@bp.route("/settings", methods=["GET", "POST"])
@fresh_proof_required
def settings():
    session = get_session()
    form = SettingsForm(data=queries.settings_values(session=session))
    if form.validate_on_submit():
        try:
            changes = service.update_settings(session=session, actor_id=current_user.id, values=form.data)
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(f"Settings saved: {'; '.join(changes)}." if changes else "Nothing changed.")
            return redirect(url_for("admin.settings"), code=303)
    return render_template("admin/settings.html", form=form, time_zones=hours.time_zones()), _status(form)


# The invite link: open to anyone who has it.


@invite_bp.route("/invite/<token>", methods=["GET", "POST"])
def accept(token: str):
    return one_time_link_page(token, purpose=INVITE, template="admin/invite.html", signs_in=True,
                              done="Your password is set. Sign in with it.")
