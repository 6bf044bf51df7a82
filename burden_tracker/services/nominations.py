"""Nominating a burden, supporting one ("me too") or taking that back, and commenting."""


from pydantic import ValidationError
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from .. import hours, workflow
from ..enums import WebhookEvent
from ..errors import DomainError
from ..models import Category, Comment, CommonsCard, Department, Nomination, Supporter, User
from ..naming import person_named
from ..queries.nominations import get_nomination
from ..queries.notices import people_following
from ..queries.people import mentioned_in
from ..queries.reference import find_by_name, organization_today
from ..schemas import IMPLAUSIBLE, NominationIn, SupportIn, field_errors
from .keeping import counting_change
from .notices import notify
from .webhooks import announce, nomination_data

MAX_TEXT = 5000



def nominate(*, session: Session, submitter: User, data: NominationIn, from_card_id: int | None = None) -> Nomination:
    """A new nomination; `from_card_id` links it to the burden card from another health system it was begun from."""
    category = find_by_name(session, Category, data.category)
    department = find_by_name(session, Department, data.department)
    problems = {}
    if category is None or not category.active:
        problems["category"] = "is not a category we know"
    if department is None or not department.active:
        problems["department"] = "is not a department we know"
    if from_card_id is not None and session.get(CommonsCard, from_card_id) is None:
        problems["from_card"] = "is not a burden card we hold: nominate it without the card"
    if problems:
        raise DomainError("Please choose from the lists.", fields=problems)
    nomination = Nomination(
        **data.model_dump(exclude={"category", "department", "submitted_on"}),
        category_id=category.id,
        department_id=department.id,
        submitter_id=submitter.id,
        submitted_on=data.submitted_on or organization_today(session=session),
        from_card_id=from_card_id,
    )
    with counting_change(session, lambda ids: ids == nomination.id, nomination.submitted_on):
        session.add(nomination)
    announce(session, WebhookEvent.NOMINATION_CREATED, {"nomination": nomination_data(session, nomination)})
    session.commit()
    return nomination


def support(*, session: Session, nomination_id: int, user: User, occurrences_per_week) -> Supporter:
    """Add the user's "me too", at their own frequency; a second one from the same person is refused."""
    nomination = get_nomination(session=session, nomination_id=nomination_id)
    try:
        occurrences_per_week = SupportIn(occurrences_per_week=occurrences_per_week).occurrences_per_week
    except ValidationError as error:
        message = field_errors(error)["occurrences_per_week"]
        raise DomainError(f"Times a week {message}.", fields={"occurrences_per_week": message}) from None
    if not hours.is_plausible(nomination.estimate[0], occurrences_per_week):
        raise DomainError(f"That would be {IMPLAUSIBLE}.", fields={"occurrences_per_week": IMPLAUSIBLE})
    if nomination.submitter_id == user.id:
        raise DomainError("You submitted this nomination, so you already count.")
    if nomination.state not in workflow.OPEN_STATES:
        raise DomainError(f"This nomination is {nomination.state.value}; it takes no more support.")
    supporter = Supporter(nomination_id=nomination_id, user_id=user.id, occurrences_per_week=occurrences_per_week)
    session.add(supporter)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise DomainError("You already support this nomination.") from None
    return supporter


def take_back_support(*, session: Session, nomination_id: int, user: User) -> None:
    """Removes the person's "me too" while the nomination is open; a decided one keeps the support it was decided
    with."""
    nomination = get_nomination(session=session, nomination_id=nomination_id)
    if nomination.state not in workflow.OPEN_STATES:
        raise DomainError(f"This nomination is {nomination.state.value}; the support it was decided with stays.")
    mine = delete(Supporter).where(Supporter.nomination_id == nomination_id, Supporter.user_id == user.id)
    if session.execute(mine).rowcount == 0:
        session.rollback()
        raise DomainError("You do not support this nomination.")
    session.commit()


def checked_comment(body: str | None) -> str:
    """A comment's text as it is kept, or why it cannot be: for a new comment and an edited one."""
    body = (body or "").strip()
    if not body:
        raise DomainError("Write a comment first.", fields={"body": "is required"})
    if len(body) > MAX_TEXT:
        raise DomainError(f"A comment can be at most {MAX_TEXT:,} characters.", fields={"body": "is too long"})
    return body


def comment(*, session: Session, nomination_id: int, author: User, body: str) -> Comment:
    body = checked_comment(body)
    nomination = get_nomination(session=session, nomination_id=nomination_id)
    acted_as = workflow.commenting_as(is_submitter=author.id == nomination.submitter_id)
    note = Comment(nomination_id=nomination_id, author_id=author.id, acted_as=acted_as, body=body)
    session.add(note)
    session.flush()
    mentioned = tell_mentioned(session=session, nomination=nomination, comment=note, author=author,
                               text=body, already=set())
    followers = people_following(session=session, nomination=nomination) - {author.id} - mentioned
    notify(session=session, recipients=followers, nomination=nomination, event=None,
           message=f"New comment on “{nomination.title}”.")
    announce(session, WebhookEvent.COMMENT_CREATED,
             {"nomination": nomination_data(session, nomination), "comment": {"id": note.id}})
    session.commit()
    return note


def tell_mentioned(*, session: Session, nomination: Nomination, comment: Comment, author: User, text: str,
                   already: set[int]) -> set[int]:
    """Tells each person the text names after "@" (queries/people.mentioned_in), but its author and those the
    comment named before; the author is named by the one rule, as the comment names them. Returns who."""
    mentioned = mentioned_in(session=session, text=text) - already - {author.id}
    if mentioned:
        who = person_named(author.name, author.email, acted_as=comment.acted_as,
                           anonymous_nomination=nomination.anonymous)
        notify(session=session, recipients=mentioned, nomination=nomination, event=None,
               message=f"{who} mentioned you in a comment on “{nomination.title}”.")
    return mentioned
