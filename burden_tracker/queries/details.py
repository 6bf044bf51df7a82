"""Everything a nomination's page shows, gathered in a few queries, with anonymity kept.

People are named by naming.person_named, in the capacity each event and comment records: an anonymous
submitter is never named as its submitter (submitting, withdrawing, commenting), and a board member is
always named for what they did as the board.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select, union
from sqlmodel import Session

from .. import hours, workflow
from ..enums import Actor, Role
from ..models import REDACTED, Attachment, Category, Comment, Department, Event, Nomination, Supporter, User
from ..naming import SYSTEM, nobody_for, person_named
from .attachments import AttachmentEntry, attachments_seen
from .commons import card_titled
from .deciders import decides
from .estimates import EstimateFigures, estimate_figures
from .myths import cited_by
from .nominations import get_nomination, why_not_editable
from .notices import is_following


@dataclass(frozen=True)
class Entry:
    at: datetime | date  # a day for the submission: its date is what was recorded (an import's may be older)
    who: str
    text: str


@dataclass(frozen=True)
class CommentEntry:
    id: int
    at: datetime
    who: str
    text: str | None  # None for a reader the board hid it from
    edited: bool
    hidden: bool
    hidden_reason: str | None  # for its author and the board
    mine: bool
    editable: bool  # its author may still change it (workflow.COMMENT_EDIT_MINUTES)


@dataclass(frozen=True)
class Details:
    nomination: Nomination
    department: str
    category: str
    submitter: str | None
    submitted_on: date
    estimate: EstimateFigures
    estimated_by_board: bool
    supporters: int
    supporter_names: list[str]  # the first SUPPORTERS_NAMED, in the order they said "me too"
    viewer_supports: bool
    viewer_is_submitter: bool
    viewer_may_edit: bool
    viewer_follows: bool
    takes_support: bool
    events: list[Entry]
    comments: list[CommentEntry]
    attachments: list[AttachmentEntry]
    takes_files: bool  # by this viewer, now
    files_room: int  # how many more it may hold (workflow.FILES_PER_NOMINATION), the files not yet released too
    moves: list[workflow.Move]
    myths: list[tuple[int, str]] = ()  # (id, belief) of the regulatory myths the board found it rests on
    from_card: tuple[int, str] | None = None  # (id, title) of the burden card from elsewhere it was begun from


def nomination_details(*, session: Session, nomination_id: int, viewer: User) -> Details:
    nomination = get_nomination(session=session, nomination_id=nomination_id)
    department = session.get(Department, nomination.department_id).name
    category = session.get(Category, nomination.category_id).name
    names = _Names(session, nomination)
    minutes, per_week, clinicians = nomination.estimate
    return Details(
        nomination=nomination,
        department=department,
        category=category,
        submitter=names.of(nomination.submitter_id, Actor.SUBMITTER),
        submitted_on=nomination.submitted_on,
        estimate=estimate_figures(session=session, minutes=minutes, per_week=per_week, clinicians=clinicians),
        estimated_by_board=nomination.board_minutes_per_occurrence is not None,
        supporters=session.scalar(select(func.count()).where(Supporter.nomination_id == nomination.id)),
        supporter_names=_supporter_names(session, nomination),
        viewer_supports=session.scalar(select(func.count()).where(
            Supporter.nomination_id == nomination.id, Supporter.user_id == viewer.id)) > 0,
        viewer_is_submitter=nomination.submitter_id == viewer.id,
        viewer_may_edit=why_not_editable(session=session, nomination=nomination, editor_id=viewer.id) is None,
        viewer_follows=is_following(session=session, nomination=nomination, user_id=viewer.id),
        takes_support=nomination.state in workflow.OPEN_STATES,
        events=_history(session, nomination, names),
        comments=_comments(session, nomination, viewer, names),
        attachments=attachments_seen(session=session, nomination_id=nomination.id, viewer=viewer, named=names.of),
        takes_files=workflow.takes_files(nomination.state) and viewer.has_any(Role.STAFF, Role.BOARD),
        files_room=workflow.FILES_PER_NOMINATION - session.scalar(
            select(func.count()).where(Attachment.nomination_id == nomination.id)),
        moves=workflow.moves_offered(nomination.state, workflow.capacities(
            is_board=decides(session=session, user=viewer, nomination_id=nomination.id),
            is_submitter=nomination.submitter_id == viewer.id)),
        myths=cited_by(session=session, nomination_id=nomination.id),
        from_card=card_titled(session=session, card_id=nomination.from_card_id),
    )


def _comments(session: Session, nomination: Nomination, viewer: User, names: "_Names") -> list[CommentEntry]:
    """A hidden comment keeps its words for its author and the board (those who decide for its site); others read
    only that it was hidden."""
    board = decides(session=session, user=viewer, nomination_id=nomination.id)
    editable_since = datetime.now(UTC) - timedelta(minutes=workflow.COMMENT_EDIT_MINUTES)
    found = []
    for c in session.scalars(select(Comment).where(Comment.nomination_id == nomination.id)
                             .order_by(Comment.created_at, Comment.id)):
        mine, hidden = c.author_id == viewer.id, c.hidden_at is not None
        found.append(CommentEntry(
            c.id, c.created_at, names.of(c.author_id, c.acted_as), c.body if mine or board or not hidden else None,
            c.edited_at is not None, hidden, c.hidden_reason if mine or board else None, mine,
            mine and not hidden and c.body != REDACTED and hours.on_clocks_of(c.created_at, "UTC") > editable_since))
    return found


def _history(session: Session, nomination: Nomination, names: "_Names") -> list[Entry]:
    """Its events, after its submission unless an event records its arrival (an import's "Recorded as")."""
    events = list(session.scalars(
        select(Event).where(Event.nomination_id == nomination.id).order_by(Event.at, Event.id)))
    history = [Entry(e.at, names.of(e.actor_id, e.acted_as, nobody_for(e.kind)), _describe(e)) for e in events]
    arrived = events and events[0].from_state is None and events[0].to_state is not None
    if not arrived:
        history.insert(0, Entry(nomination.submitted_on, names.of(nomination.submitter_id, Actor.SUBMITTER),
                                "Submitted."))
    return history


SUPPORTERS_NAMED = 50


def _supporter_names(session: Session, nomination: Nomination) -> list[str]:
    """Who said "me too", named by the one rule. A submitter never supports their own nomination (services/
    nominations.support), and one who stays anonymous is left out here all the same."""
    query = (select(User.name, User.email).join(Supporter, Supporter.user_id == User.id)
             .where(Supporter.nomination_id == nomination.id)
             .order_by(Supporter.created_at, Supporter.id).limit(SUPPORTERS_NAMED))
    if nomination.anonymous and nomination.submitter_id is not None:
        query = query.where(User.id != nomination.submitter_id)
    return [person_named(name, email) for name, email in session.execute(query)]


class _Names:
    """The names and emails of the people on one page, fetched once, named by the one rule."""

    def __init__(self, session: Session, nomination: Nomination):
        self.anonymous = nomination.anonymous
        people = select(User.id, User.name, User.email)
        involved = union(
            select(Event.actor_id).where(Event.nomination_id == nomination.id),
            select(Comment.author_id).where(Comment.nomination_id == nomination.id),
            select(Attachment.uploader_id).where(Attachment.nomination_id == nomination.id),
            select(User.id).where(User.id == nomination.submitter_id),
        )
        self.people = {id_: (name, email) for id_, name, email in session.execute(people.where(User.id.in_(involved)))}

    def of(self, user_id: int | None, acted_as: Actor | None, nobody: str = SYSTEM) -> str:
        name, email = self.people.get(user_id, (None, None))
        return person_named(name, email, acted_as=acted_as, anonymous_nomination=self.anonymous, nobody=nobody)


def _describe(event: Event) -> str:
    if event.from_state and event.to_state:
        text = f"Moved from {event.from_state.value} to {event.to_state.value}."
    elif event.to_state:
        text = f"Recorded as {event.to_state.value}."
    else:
        text = ""
    return " ".join(part for part in (text, event.note_text) if part)
