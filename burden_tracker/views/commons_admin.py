"""/admin/commons, for admins only: the name burden cards are shared under, the retired nominations marked for
sharing, and the upload of another health system's cards. A retired nomination's page offers admins the form that
marks it (nominations/_share_card.html). The format is docs/burden-cards.md."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ..db import get_session
from ..enums import Role
from ..errors import DomainError, NotFound
from ..forms import CardsUploadForm, ConfirmClearForm, ShareAsForm, ShareCardForm, accepts_upload
from ..queries.commons import cards_imported, marked_for_sharing
from ..queries.reference import get_settings, organization_today
from ..services import commons as service
from .auth import admins_only
from .rendering import show_errors

bp = Blueprint("commons_admin", __name__, url_prefix="/admin/commons")
bp.before_request(admins_only)
MOST_BYTES = 10 * 1024 * 1024


@bp.get("")
def index():
    return _page()


def _page(*, share_as: ShareAsForm | None = None, upload: CardsUploadForm | None = None, status: int = 200):
    session = get_session()
    share_as = share_as or ShareAsForm(formdata=None, data={"share_as": get_settings(session=session).share_as})
    return render_template("admin/commons.html", share_as=share_as, upload=upload or CardsUploadForm(formdata=None),
                           marked=marked_for_sharing(session=session), imported=cards_imported(session=session),
                           stop_form=ConfirmClearForm()), status


@bp.post("/share-as")
def share_as():
    form = ShareAsForm()
    if form.validate_on_submit():
        try:
            service.set_share_as(session=get_session(), actor_id=current_user.id, name=form.share_as.data)
        except DomainError as error:
            show_errors(form, error)
        else:
            flash("Saved: the cards you export from now on say so.")
            return redirect(url_for("commons_admin.index"), code=303)
    return _page(share_as=form, status=422)


def _is_admin() -> bool:
    return current_user.is_authenticated and current_user.has_any(Role.ADMIN)


@bp.post("/import")
@accepts_upload("file", only_for=_is_admin)
def upload():
    form = CardsUploadForm()
    if form.validate_on_submit():
        chosen = form.file.data
        if chosen is None or not chosen.filename:
            form.file.errors = ["Choose the file of cards to import."]
        else:
            try:
                done = service.import_cards(session=get_session(), text=chosen.stream.read(MOST_BYTES + 1))
            except DomainError as error:
                form.file.errors = error.message.splitlines()
            else:
                flash(f"Imported {done.added:,} new card{'s' if done.added != 1 else ''}; {done.replaced:,} "
                      f"replaced an earlier copy.")
                return redirect(url_for("commons_admin.index"), code=303)
    return _page(upload=form, status=422)


@bp.post("/share/<int:nomination_id>")
def share(nomination_id: int):
    form = ShareCardForm()
    if not form.validate_on_submit():
        abort(400)
    session = get_session()
    try:
        service.mark_for_sharing(session=session, actor_id=current_user.id, nomination_id=nomination_id,
                                 values=form.data, today=organization_today(session=session))
    except NotFound:
        abort(404)
    except DomainError as error:
        flash(" ".join([error.message, *error.fields.values()]) if error.fields else error.message)
    else:
        flash("Marked for sharing: the next export of burden cards holds it.")
    return redirect(url_for("nominations.show", nomination_id=nomination_id), code=303)


@bp.post("/share/<int:nomination_id>/stop")
def stop(nomination_id: int):
    if not ConfirmClearForm().validate_on_submit():
        abort(400)
    service.stop_sharing(session=get_session(), actor_id=current_user.id, nomination_id=nomination_id)
    flash("No longer shared: the next export leaves it out.")
    return redirect(url_for("commons_admin.index"), code=303)
