"""One nomination's page: its details and history, comments, "me too", and withdrawing it."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ..db import get_session
from ..enums import Role
from ..errors import DomainError, NotFound, StaleVersion
from ..forms import CommentForm, MoveForm, SupportForm
from ..services import nominations as service
from ..services.details import nomination_details
from ..services.transitions import move_nomination
from ..workflow import Move
from .auth import role_required
from .rendering import render

bp = Blueprint("nominations", __name__, url_prefix="/nominations")


def index():
    return redirect(url_for("browse.index"))


def _details(nomination_id: int):
    try:
        return nomination_details(session=get_session(), nomination_id=nomination_id, viewer=current_user.user)
    except NotFound:
        abort(404)


@bp.get("/<int:nomination_id>")
def show(nomination_id: int):
    return render_template("nominations/show.html", details=_details(nomination_id), comment_form=CommentForm(),
                           support_form=SupportForm(), move_form=MoveForm())


@bp.post("/<int:nomination_id>/comments")
@role_required(Role.STAFF, Role.BOARD)
def comment(nomination_id: int):
    form = CommentForm()
    status = 200
    if form.validate_on_submit():
        try:
            service.comment(session=get_session(), nomination_id=nomination_id, author=current_user.user,
                            body=form.body.data)
            form = CommentForm(formdata=None)
        except DomainError as error:
            form.body.errors = [error.message]
            status = 422
    else:
        status = 422
    return render("nominations/show.html", "nominations/_comments.html", status=status,
                  details=_details(nomination_id), comment_form=form, support_form=SupportForm(),
                  move_form=MoveForm())


@bp.post("/<int:nomination_id>/support")
@role_required(Role.STAFF, Role.BOARD)
def support(nomination_id: int):
    form = SupportForm()
    status = 200
    if form.validate_on_submit():
        try:
            service.support(session=get_session(), nomination_id=nomination_id, user=current_user.user,
                            occurrences_per_week=form.occurrences_per_week.data)
        except DomainError as error:
            form.occurrences_per_week.errors = [error.message]
            status = 422
    else:
        status = 422
    return render("nominations/show.html", "nominations/_support.html", status=status,
                  details=_details(nomination_id), support_form=form, comment_form=CommentForm(),
                  move_form=MoveForm())


@bp.post("/<int:nomination_id>/withdraw")
@role_required(Role.STAFF, Role.BOARD)
def withdraw(nomination_id: int):
    form = MoveForm()
    if form.validate_on_submit():
        try:
            move_nomination(session=get_session(), nomination_id=nomination_id, move=Move.WITHDRAW,
                            actor=current_user.user, expected_version=int(form.version.data), fields={})
            flash("You withdrew your nomination.")
        except (DomainError, ValueError) as error:
            flash(getattr(error, "message", "That could not be done."))
            code = 409 if isinstance(error, StaleVersion) else 422
            return render_template("nominations/show.html", details=_details(nomination_id),
                                   comment_form=CommentForm(), support_form=SupportForm(),
                                   move_form=MoveForm(formdata=None)), code
    return redirect(url_for("nominations.show", nomination_id=nomination_id), code=303)
