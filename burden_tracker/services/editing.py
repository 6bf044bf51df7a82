"""The submitter changes their own nomination while it is proposed (workflow.may_edit): its words, place, estimate
and what they think requires it; never its anonymity or the day it was submitted.

One event (kind edited) records it, in the submitter's capacity, so an anonymous submitter stays unnamed. Its note
names what changed; event_changes keeps the old and new values of all but the free text, which a board member may
later redact and which must then be gone from the history too. Followers are told when the estimate changes, the
figure they said "me too" to. A change of the estimate is kept in the quarter's figures (services/keeping.py).
"""

from sqlmodel import Session

from ..enums import Actor, AffectedRole, EventKind, RequirementSource
from ..errors import DomainError, StaleVersion
from ..models import Category, Department, Event, Nomination, User, event_note, utc_now
from ..queries.nominations import changed_under_you, get_nomination, why_not_editable
from ..queries.notices import people_following
from ..queries.reference import find_by_name
from ..schemas import NominationIn
from .notices import notify
from .revisions import estimate_in_words, recorded

TEXTS = {"title": "title", "description": "description", "suggested_change": "suggested change"}


def edit_nomination(*, session: Session, nomination_id: int, editor: User, expected_version: int,
                    data: NominationIn) -> list[str]:
    """All the values or none; returns what changed, in words. Refuses an edit that changes nothing."""
    nomination = get_nomination(session=session, nomination_id=nomination_id)
    if refusal := why_not_editable(session=session, nomination=nomination, editor_id=editor.id):
        raise DomainError(refusal)
    if nomination.version != expected_version:
        raise StaleVersion(changed_under_you(session, nomination))
    department, category = _places(session, nomination, data)
    changes = _changes(session, nomination, data, department, category)
    texts = [label for name, label in TEXTS.items() if (getattr(nomination, name) or None) != getattr(data, name)]
    if not changes and not texts:
        raise DomainError("Nothing was changed: every value is as it was.")
    said = "; ".join([*texts, *(f"{label} {old} → {new}" for _, label, old, new in changes)])
    followers = people_following(session=session, nomination=nomination)
    event = Event(nomination_id=nomination.id, actor_id=editor.id, acted_as=Actor.SUBMITTER, kind=EventKind.EDITED,
                  note=event_note(f"Edited: {said}."))
    recorded(session, nomination, event, changes, f"edited by its submitter: {said}",
             lambda: _apply(nomination, data, department, category))
    estimate = next((change for change in changes if change[0] == "estimate"), None)
    if estimate:
        notify(session=session, recipients=followers - {editor.id}, nomination=nomination, event=event,
               message=f"“{nomination.title}” has a new estimate from its submitter: {estimate[2]} → {estimate[3]}.")
    session.commit()
    return said.split("; ")


def _places(session: Session, nomination: Nomination, data: NominationIn) -> tuple[Department, Category]:
    """The department and category named, in use; its own stay allowed if retired since."""
    department = find_by_name(session, Department, data.department)
    category = find_by_name(session, Category, data.category)
    problems = {}
    if department is None or (not department.active and department.id != nomination.department_id):
        problems["department"] = "is not a department we know"
    if category is None or (not category.active and category.id != nomination.category_id):
        problems["category"] = "is not a category we know"
    if problems:
        raise DomainError("Please choose from the lists.", fields=problems)
    return department, category


def _changes(session: Session, nomination: Nomination, data: NominationIn, department: Department,
             category: Category) -> list[tuple[str, str, str, str]]:
    """(field, label, old, new) for each value other than the free text that the edit changes. The estimate is the
    submitter's own, which a board estimate (after a reopen) stands in front of."""
    found = [
        ("estimate", "estimate", estimate_in_words((nomination.minutes_per_occurrence,
                                                     nomination.occurrences_per_week, nomination.clinicians_affected)),
         estimate_in_words((data.minutes_per_occurrence, data.occurrences_per_week, data.clinicians_affected))),
        ("department", "department", session.get(Department, nomination.department_id).name, department.name),
        ("category", "category", session.get(Category, nomination.category_id).name, category.name),
        ("affected_role", "affected role", AffectedRole(nomination.affected_role).value, data.affected_role.value),
        ("requirement_source", "what they think requires it",
         RequirementSource(nomination.requirement_source).value, data.requirement_source.value),
    ]
    return [change for change in found if change[2] != change[3]]


def _apply(nomination: Nomination, data: NominationIn, department: Department, category: Category) -> None:
    nomination.title, nomination.description = data.title, data.description
    nomination.suggested_change = data.suggested_change
    nomination.minutes_per_occurrence = data.minutes_per_occurrence
    nomination.occurrences_per_week = data.occurrences_per_week
    nomination.clinicians_affected = data.clinicians_affected
    nomination.affected_role, nomination.requirement_source = data.affected_role, data.requirement_source
    nomination.department_id, nomination.category_id = department.id, category.id
    nomination.updated_at = utc_now()

