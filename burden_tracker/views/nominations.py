"""One nomination's page: its details and history, comments, "me too", and withdrawing it."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ..db import get_session
from ..enums import Role, State
from ..errors import DomainError, NotFound, StaleVersion
from ..forms import CommentForm, FollowForm, HideCommentForm, MoveForm, ShareCardForm, SupportForm, TakeBackForm
from ..queries.commons import shared_card
from ..queries.details import nomination_details
from ..queries.measured_impact import impact_of
from ..queries.reference import organization_today
from ..services import comments, notices
from ..services import nominations as service
from ..services.transitions import move_nomination
from ..workflow import Move
from .auth import role_required, writing_session
from .decide import board_tools_for_page
from .rendering import render, wants_fragment

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
    details = _details(nomination_id)
    session = get_session()
    impact = impact_of(session=session, nomination=details.nomination, today=organization_today(session=session))
    read = _notices_read(nomination_id)
    return render_template("nominations/show.html", details=details, board=board_tools_for_page(nomination_id),
                           impact=impact,
                           **_sharing(details.nomination),
                           comment_form=CommentForm(), support_form=SupportForm(),
                           move_form=MoveForm(), **({"unread_notices": current_user.unread_notices - read} if read
                                                    else {}))


def _sharing(nomination) -> dict:
    """For an admin on a retired nomination: the form marking it for sharing as a burden card, filled in with what
    its card says when it is marked."""
    if nomination.state is not State.RETIRED or not current_user.has_any(Role.ADMIN):
        return {}
    shared = shared_card(session=get_session(), nomination_id=nomination.id)
    return {"shared": shared, "share_form": ShareCardForm(formdata=None, obj=shared)}


def _notices_read(nomination_id: int) -> int:
    """Opening a nomination reads the person's notices about it; a write, only when they have unread ones."""
    if not current_user.unread_notices:
        return 0
    with writing_session() as own:
        return notices.mark_read_about(session=own, user_id=current_user.id, nomination_id=nomination_id)


@bp.post("/<int:nomination_id>/follow")
def follow(nomination_id: int):
    form = FollowForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        notices.follow(session=get_session(), nomination_id=nomination_id, user=current_user.user,
                       following=form.following.data == "yes")
    except NotFound:
        abort(404)
    if not wants_fragment():
        return redirect(url_for("nominations.show", nomination_id=nomination_id), code=303)
    return render_template("nominations/_follow.html", details=_details(nomination_id))


@bp.post("/<int:nomination_id>/comments")
@role_required(Role.STAFF, Role.BOARD)
def comment(nomination_id: int):
    form = CommentForm()
    status = _act_in_place(form, form.body, lambda: service.comment(
        session=get_session(), nomination_id=nomination_id, author=current_user.user, body=form.body.data))
    if status == 200:
        form = CommentForm(formdata=None)
    return answer(nomination_id, "nominations/_comments.html", status, comment_form=form)


@bp.post("/<int:nomination_id>/comments/<int:comment_id>/edit")
@role_required(Role.STAFF, Role.BOARD)
def edit_comment(nomination_id: int, comment_id: int):
    form = CommentForm()
    return _comment_changed(nomination_id, comment_id, form, form.body, lambda: comments.edit_comment(
        session=get_session(), nomination_id=nomination_id, comment_id=comment_id, author=current_user.user,
        body=form.body.data), "Your comment is changed.")


@bp.post("/<int:nomination_id>/comments/<int:comment_id>/hide")
@role_required(Role.BOARD)
def hide_comment(nomination_id: int, comment_id: int):
    form = HideCommentForm()
    return _comment_changed(nomination_id, comment_id, form, form.reason, lambda: comments.hide_comment(
        session=get_session(), nomination_id=nomination_id, comment_id=comment_id, actor=current_user.user,
        reason=form.reason.data), "The comment is hidden; its author is told why.")


def _comment_changed(nomination_id: int, comment_id: int, form, field, act, done: str):
    """The comments again, in place; or the page, with the message, without htmx."""
    try:
        status = _act_in_place(form, field, act)
    except NotFound:
        abort(404)
    problem = (comment_id, field.errors[0] if field.errors else "Check the form and try again.")
    if status == 200 and not wants_fragment():
        flash(done)
        return redirect(url_for("nominations.show", nomination_id=nomination_id) + "#comments", code=303)
    return answer(nomination_id, "nominations/_comments.html", status,
                   comment_problem=None if status == 200 else problem)


@bp.post("/<int:nomination_id>/support")
@role_required(Role.STAFF, Role.BOARD)
def support(nomination_id: int):
    form = SupportForm()
    status = _act_in_place(form, form.occurrences_per_week, lambda: service.support(
        session=get_session(), nomination_id=nomination_id, user=current_user.user,
        occurrences_per_week=form.occurrences_per_week.data))
    return answer(nomination_id, "nominations/_support.html", status, support_form=form)


@bp.post("/<int:nomination_id>/support/take-back")
@role_required(Role.STAFF, Role.BOARD)
def take_back_support(nomination_id: int):
    form = SupportForm(formdata=None)
    status = _act_in_place(TakeBackForm(), form.occurrences_per_week, lambda: service.take_back_support(
        session=get_session(), nomination_id=nomination_id, user=current_user.user))
    return answer(nomination_id, "nominations/_support.html", status, support_form=form)


@bp.post("/<int:nomination_id>/withdraw")
@role_required(Role.STAFF, Role.BOARD)
def withdraw(nomination_id: int):
    form = MoveForm()
    if form.validate_on_submit():
        try:
            move_nomination(session=get_session(), nomination_id=nomination_id, move=Move.WITHDRAW,
                            actor=current_user.user, expected_version=int(form.version.data), fields={})
        except (DomainError, ValueError) as error:
            flash(getattr(error, "message", "That could not be done; reload the page and try again."))
            return answer(nomination_id, "nominations/show.html", 409 if isinstance(error, StaleVersion) else 422)
        flash("You withdrew your nomination.")
    return redirect(url_for("nominations.show", nomination_id=nomination_id), code=303)


def _act_in_place(form, field, act) -> int:
    """Runs act() on a valid form: 200, or 422 with the reason beside the field."""
    if not form.validate_on_submit():
        return 422
    try:
        act()
    except DomainError as error:
        field.errors = [error.message]
        return 422
    return 200


def answer(nomination_id: int, fragment: str, status: int, **forms):
    """The fragment that was acted on for htmx, else the whole page, with fresh forms for the rest; the board's
    panel is built only when the whole page is drawn. The other areas of the page (views/attachments.py) answer
    through it too."""
    fresh = {"comment_form": CommentForm(formdata=None), "support_form": SupportForm(formdata=None),
             "move_form": MoveForm(formdata=None)}
    details = _details(nomination_id)
    whole_page = fragment == "nominations/show.html" or not wants_fragment()
    return render("nominations/show.html", fragment, status=status, details=details,
                  board=board_tools_for_page(nomination_id) if whole_page else None, **(fresh | forms))
