"""Screenshots and PDFs on a nomination's page: adding one, opening one, releasing and removing one.

A file is served only to signed-in people who may see it (queries/attachments.py), with the app's headers (nosniff,
the CSP, no-store): an image inline, so that the page can show it, and a PDF as a download, never drawn in the
app's own origin.
"""

from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, send_file, url_for
from flask_login import current_user

from ..db import get_session
from ..enums import Role
from ..errors import DomainError, NotFound
from ..forms import AttachmentForm, TakeBackForm, accepts_upload
from ..queries.attachments import IMAGE_TYPES, attachment_for
from ..queries.deciders import decides
from ..services import attachment_files, attachments
from .auth import role_required
from .nominations import answer
from .rendering import wants_fragment

bp = Blueprint("attachments", __name__, url_prefix="/nominations/<int:nomination_id>/files")


def _staff_or_board() -> bool:
    return current_user.is_authenticated and current_user.has_any(Role.STAFF, Role.BOARD)


def _folder() -> Path:
    return Path(current_app.config["ATTACHMENTS_DIR"])


@bp.post("")
@accepts_upload("file", only_for=_staff_or_board)
@role_required(Role.STAFF, Role.BOARD)
def add(nomination_id: int):
    form = AttachmentForm()
    chosen = form.file.data
    return _changed(nomination_id, form, lambda: attachments.attach(
        session=get_session(), folder=_folder(), nomination_id=nomination_id, uploader=current_user.user,
        stream=chosen.stream if chosen else None, file_name=chosen.filename if chosen else None,
        max_bytes=current_app.config["ATTACHMENT_MAX_BYTES"]),
        "Your file is added. The board will look at it before everyone else can see it."
        if not decides(session=get_session(), user=current_user.user, nomination_id=nomination_id)
        else "The file is added; release it when it shows no patient.")


@bp.get("/<int:attachment_id>")
def file(nomination_id: int, attachment_id: int):
    try:
        attachment = attachment_for(session=get_session(), nomination_id=nomination_id, attachment_id=attachment_id,
                                    viewer=current_user.user)
    except NotFound:
        abort(404)
    path = attachment_files.kept_path(_folder(), attachment.sha256)
    if not path.is_file():
        abort(404)
    inline = attachment.media_type in IMAGE_TYPES
    response = send_file(path, mimetype=attachment.media_type, as_attachment=not inline,
                         download_name=attachment.file_name, conditional=False, etag=False)
    response.headers["Cache-Control"] = "private, no-store"  # a file may yet be removed for what it shows
    return response


@bp.post("/<int:attachment_id>/release")
@role_required(Role.BOARD)
def release(nomination_id: int, attachment_id: int):
    return _changed(nomination_id, TakeBackForm(), lambda: attachments.release(
        session=get_session(), nomination_id=nomination_id, attachment_id=attachment_id, actor=current_user.user),
        "The file is released: everyone signed in can see it now.")


@bp.post("/<int:attachment_id>/remove")
@role_required(Role.STAFF, Role.BOARD)
def remove(nomination_id: int, attachment_id: int):
    return _changed(nomination_id, TakeBackForm(), lambda: attachments.remove(
        session=get_session(), folder=_folder(), nomination_id=nomination_id, attachment_id=attachment_id,
        actor=current_user.user), "The file is removed.")


def _changed(nomination_id: int, form, act, done: str):
    """The files again, in place, or the page; a refusal (422) says why beside the form and keeps nothing."""
    problem = None
    if not form.validate_on_submit():
        problem = "Check the form and try again."
    else:
        try:
            act()
        except NotFound:
            abort(404)
        except DomainError as error:
            problem = error.message
    if problem is None and not wants_fragment():
        flash(done)
        return redirect(url_for("nominations.show", nomination_id=nomination_id) + "#attachments", code=303)
    return answer(nomination_id, "nominations/_attachments.html", 422 if problem else 200,
                  attachment_problem=problem, attachment_done=None if problem else done)
