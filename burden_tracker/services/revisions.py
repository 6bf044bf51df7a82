"""The board revises a nomination's estimate, department, category, affected role or source of the requirement, with a
reason, in any state but withdrawn (workflow.may_revise).

One event (kind revised) records it: its note says what changed, from what to what, and why, and one row of
event_changes per value keeps the old and new values apart. A revised estimate becomes the board's estimate, and the
source the board's confirmed one. A revision that alters a closed quarter's figures is recorded as its restatement
(services/closing.py), and the nomination's followers are told.
"""

from pydantic import ValidationError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from .. import workflow
from ..enums import Actor, AffectedRole, EventKind, RequirementSource, WebhookEvent
from ..errors import DomainError, StaleVersion
from ..models import Category, Department, Event, EventChange, Nomination, User, event_note, utc_now
from ..queries.deciders import check_decides, decides_at
from ..queries.nominations import changed_under_you, get_nomination
from ..queries.notices import people_following
from ..schemas import RevisionIn, field_errors
from .keeping import counting_change
from .notices import notify
from .webhooks import announce, nomination_data


def revise_nomination(*, session: Session, nomination_id: int, actor: User, expected_version: int,
                      values: dict) -> list[str]:
    """All the values or none; returns what changed, in words. Refuses a revision that changes nothing."""
    nomination = get_nomination(session=session, nomination_id=nomination_id)
    check_decides(session=session, user=actor, nomination_id=nomination_id,
                  refusal="Only board members can revise a nomination.")
    if not workflow.may_revise(nomination.state):
        raise DomainError(f"A {nomination.state.value} nomination cannot be revised.")
    if nomination.version != expected_version:
        raise StaleVersion(changed_under_you(session, nomination))
    try:
        checked = RevisionIn.model_validate(values)
    except ValidationError as error:
        fields = field_errors(error)
        if "reason" in fields:
            fields["reason"] = "Say why: the history keeps the reason beside the change."
        raise DomainError("Nothing was revised: please correct the fields marked.", fields=fields) from None
    changes = _changes(session, nomination, checked, actor)
    if not changes:
        raise DomainError("Nothing was revised: every value is as it was. Change one, or close the form.")
    followers = people_following(session=session, nomination=nomination)
    each = [f"{label} {old} → {new}" for _, label, old, new in changes]
    said = "; ".join(each)
    event = Event(nomination_id=nomination.id, actor_id=actor.id, acted_as=Actor.BOARD, kind=EventKind.REVISED,
                  note=event_note(f"Revised: {said}. Why: {checked.reason}"))
    recorded(session, nomination, event, changes, f"revised: {said}",
             lambda: _apply(nomination, checked, {name for name, _, _, _ in changes}))
    notify(session=session, recipients=followers - {actor.id}, nomination=nomination, event=event,
           message=f"“{nomination.title}” was revised by the board: {said}.")
    announce(session, WebhookEvent.NOMINATION_REVISED, {
        "nomination": nomination_data(session, nomination),
        "changes": [{"field": label, "from": old, "to": new} for _, label, old, new in changes]})
    session.commit()
    return each


def recorded(session: Session, nomination: Nomination, event: Event, changes: list[tuple[str, str, str, str]],
             in_words: str, apply) -> None:
    """Applies a change of a nomination's values with its event and one row of event_changes per (field, label,
    old, new), kept in the quarter's figures; a change made meanwhile by someone else refuses it whole."""
    try:
        with counting_change(session, lambda ids: ids == nomination.id, nomination.submitted_on) as restated:
            restated.change = in_words
            apply()
            session.add(event)
            session.flush()
            session.add_all(EventChange(event_id=event.id, field=name, old_value=old, new_value=new)
                            for name, _, old, new in changes)
    except StaleDataError:
        session.rollback()
        raise StaleVersion(changed_under_you(session, nomination)) from None


def _changes(session: Session, nomination: Nomination, checked: RevisionIn,
             actor: User) -> list[tuple[str, str, str, str]]:
    """(field, label, old, new) for each value the revision changes."""
    department = _named(session, Department, checked.department_id, nomination.department_id)
    if department.id != nomination.department_id and not decides_at(session=session, user=actor,
                                                                     site_id=department.site_id):
        raise DomainError("That department is at a site you do not decide for.",
                          fields={"department_id": "is at a site you do not decide for"})
    category = _named(session, Category, checked.category_id, nomination.category_id)
    now = estimate_in_words(nomination.estimate)
    new = estimate_in_words((checked.minutes_per_occurrence, checked.occurrences_per_week,
                              checked.clinicians_affected))
    source = RequirementSource(nomination.confirmed_source or nomination.requirement_source)
    found = [
        ("estimate", "estimate", now, new),
        ("department", "department", session.get(Department, nomination.department_id).name, department.name),
        ("category", "category", session.get(Category, nomination.category_id).name, category.name),
        ("affected_role", "affected role", AffectedRole(nomination.affected_role).value, checked.affected_role.value),
        ("requirement_source", "source of the requirement", source.value, checked.requirement_source.value),
    ]
    return [change for change in found if change[2] != change[3]]


def _named(session: Session, model, chosen: int, current: int):
    """A department or category that exists and is in use; the nomination's own stays allowed if retired since."""
    item = session.get(model, chosen)
    if item is None or (not item.active and chosen != current):
        field = "department_id" if model is Department else "category_id"
        raise DomainError("Nothing was revised: please correct the fields marked.",
                          fields={field: "Choose one from the list."})
    return item


def _apply(nomination: Nomination, checked: RevisionIn, changed: set[str]) -> None:
    """Only what changed: the estimate becomes the board's only when the board revised it."""
    if "estimate" in changed:
        nomination.board_minutes_per_occurrence = checked.minutes_per_occurrence
        nomination.board_occurrences_per_week = checked.occurrences_per_week
        nomination.board_clinicians_affected = checked.clinicians_affected
    if "requirement_source" in changed:
        nomination.confirmed_source = checked.requirement_source
    nomination.department_id, nomination.category_id = checked.department_id, checked.category_id
    nomination.affected_role = checked.affected_role
    nomination.updated_at = utc_now()


def estimate_in_words(estimate) -> str:
    """An estimate as the history and notices write it: 0.5 min × 36 a week × 200 people."""
    minutes, per_week, people = estimate
    return f"{_plain(minutes)} min × {_plain(per_week)} a week × {_plain(people)} people"


def _plain(number) -> str:
    return f"{int(number):,}" if float(number).is_integer() else f"{number}"
