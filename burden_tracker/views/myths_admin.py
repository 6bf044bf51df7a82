"""/admin/myths, for admins only: the library's entries and drafts, a new entry, an edit, and publishing. A saved
entry is a draft until an admin publishes it (services/myths.py); everyone reads the published ones at /myths."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ..db import get_session
from ..errors import DomainError, NotFound
from ..forms import ConfirmClearForm, MythForm
from ..models import Myth
from ..queries.myths import being_edited, for_admin
from ..queries.reference import organization_today
from ..services import myths as service
from .auth import admins_only
from .rendering import show_errors

bp = Blueprint("myths_admin", __name__, url_prefix="/admin/myths")
bp.before_request(admins_only)


@bp.get("")
def index():
    return render_template("admin/myths.html", entries=for_admin(session=get_session()), form=ConfirmClearForm())


@bp.route("/new", methods=["GET", "POST"])
def new():
    return _edit(None, "New entry")


@bp.route("/<int:myth_id>/edit", methods=["GET", "POST"])
def edit(myth_id: int):
    return _edit(myth_id, "Edit the entry")


def _edit(myth_id: int | None, title: str):
    session = get_session()
    shown = _being_edited(myth_id) if myth_id is not None else None
    form = MythForm(obj=shown)
    if form.validate_on_submit():
        try:
            draft = service.save_draft(session=session, actor_id=current_user.id, values=form.data, myth_id=myth_id,
                                       today=organization_today(session=session))
        except NotFound:
            abort(404)
        except DomainError as error:
            show_errors(form, error)
            if not error.fields:  # another admin's change meanwhile
                form.form_errors.append(error.message)
        else:
            flash("Saved as a draft. Publish it once it is checked against its source.")
            return redirect(url_for("myths.show", myth_id=draft.id), code=303)
    return render_template("admin/myth_form.html", form=form, title=title, myth_id=myth_id), \
        422 if form.is_submitted() else 200


def _being_edited(myth_id: int) -> Myth:
    try:
        return being_edited(session=get_session(), myth_id=myth_id)
    except NotFound:
        abort(404)


@bp.post("/<int:myth_id>/publish")
def publish(myth_id: int):
    entry = _decided(myth_id, service.publish)
    flash("Published: everyone signed in can read it now.")
    return redirect(url_for("myths.show", myth_id=entry.id), code=303)


@bp.post("/<int:myth_id>/discard")
def discard(myth_id: int):
    edited = _decided(myth_id, service.discard)
    flash("The draft is thrown away.")
    return redirect(url_for("myths.show", myth_id=edited) if edited else url_for("myths_admin.index"), code=303)


def _decided(myth_id: int, act):
    """What act returned; a refusal is told on the entry's page, and a missing entry is 404."""
    if not ConfirmClearForm().validate_on_submit():
        abort(400)
    try:
        return act(session=get_session(), actor_id=current_user.id, myth_id=myth_id)
    except NotFound:
        abort(404)
    except DomainError as error:
        flash(error.message)
        abort(redirect(url_for("myths.show", myth_id=myth_id), code=303))
