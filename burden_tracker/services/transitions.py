"""Moving a nomination between states: check the rule, apply it, write its event, tell people.

All of it is one transaction. The expected version guards against a person acting on a
page that has changed under them; the version column (see models.Nomination) guards
against two requests racing between read and write.
"""

from datetime import date

from pydantic import ValidationError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, select

from .. import workflow
from ..enums import Actor, EventKind, Outcome, RequirementSource, Role, State, WebhookEvent
from ..errors import MoveRefused, StaleVersion
from ..models import Event, Nomination, Supporter, User, event_note, utc_now
from ..queries.deciders import decides, refuse_another_site
from ..queries.nominations import changed_under_you, get_nomination
from ..queries.notices import people_following
from ..queries.reference import organization_today
from ..queries.users import active_board_member
from ..queries.votes import tally
from ..schemas import Estimate, field_errors
from ..workflow import Move
from .keeping import counting_change
from .measuring import link_measure
from .myths import cite
from .notices import notify, tell_new_owner
from .webhooks import announce, nomination_data


def move_nomination(
    *, session: Session, nomination_id: int, move: Move, actor: User, expected_version: int, fields: dict
) -> Nomination:
    nomination = get_nomination(session=session, nomination_id=nomination_id)
    is_board = decides(session=session, user=actor, nomination_id=nomination_id)
    roles = workflow.capacities(is_board=is_board, is_submitter=nomination.submitter_id == actor.id)
    if not is_board and actor.has_role(Role.BOARD) and workflow.MOVES[move].actor is Actor.BOARD:
        refuse_another_site(session=session, nomination_id=nomination_id)
    workflow.check_actor(move, roles)  # first: who may not act learns nothing of the latest change
    if nomination.version != expected_version:
        raise StaleVersion(changed_under_you(session, nomination))
    followers = people_following(session=session, nomination=nomination)  # before a merge moves them
    owner_before = nomination.owner_id
    today = organization_today(session=session)  # read before the changes: reading flushes them
    needs_vote = workflow.MOVES[move].needs_passed_vote
    rule = workflow.check_move(
        move,
        state=nomination.state,
        actor_roles=roles,
        vote_passed=needs_vote and tally(session=session, nomination_id=nomination_id).passed,
        fields=fields,
    )
    if move is Move.MARK_DUPLICATE:
        _check_survivor_site(session, actor, int(fields["duplicate_of"]))
    try:
        with counting_change(session, lambda ids: ids == nomination.id, nomination.submitted_on) as restated:
            _EFFECTS[move](session, nomination, fields)
            event = Event(
                nomination_id=nomination.id, actor_id=actor.id, acted_as=rule.actor, kind=EventKind.MOVED,
                from_state=nomination.state, to_state=rule.target, note=event_note(_event_note(move, fields)),
            )
            restated.change = _in_words(nomination, event)
            nomination.state = rule.target
            nomination.updated_at = utc_now()
            nomination.moved_on = today  # what "overdue" counts from
            session.add(event)
            session.flush()
    except StaleDataError:
        session.rollback()
        raise StaleVersion(changed_under_you(session, nomination)) from None
    notify(
        session=session, recipients=followers - {actor.id}, nomination=nomination, event=event,
        message=f"“{nomination.title}” moved from {event.from_state.value} to {event.to_state.value}.",
    )
    if nomination.owner_id not in (owner_before, actor.id, None):
        tell_new_owner(session=session, nomination=nomination)
    announce(session, WebhookEvent.NOMINATION_MOVED, {"nomination": nomination_data(session, nomination),
                                                      "from_state": event.from_state.value,
                                                      "to_state": event.to_state.value})
    session.commit()
    return nomination



def _evaluate(session, nomination: Nomination, fields: dict) -> None:
    try:
        estimate = Estimate.model_validate(fields)
    except ValidationError as error:
        raise MoveRefused("Please correct the estimate.", fields=field_errors(error)) from None
    try:
        source = RequirementSource.from_label(fields["confirmed_source"])
    except ValueError as error:
        raise MoveRefused("Please choose the source of the requirement.",
                          fields={"confirmed_source": str(error)}) from None
    owner_id = _owner(session, nomination, int(fields["owner_id"])) if fields.get("owner_id") else None
    nomination.board_minutes_per_occurrence = estimate.minutes_per_occurrence
    nomination.board_occurrences_per_week = estimate.occurrences_per_week
    nomination.board_clinicians_affected = estimate.clinicians_affected
    nomination.confirmed_source = source
    nomination.evaluation_note = fields["note"].strip()
    if owner_id is not None:
        nomination.owner_id = owner_id
    link_measure(session, nomination, fields)
    cite(session, nomination, fields)


def _owner(session, nomination: Nomination, owner_id: int) -> int:
    owner = active_board_member(session=session, user_id=owner_id)
    if owner is None or not decides(session=session, user=owner, nomination_id=nomination.id):
        raise MoveRefused("Please choose an owner from the board members who decide for its site.",
                          fields={"owner_id": "does not decide for this nomination's site"})
    return owner_id


def _retire(session, nomination: Nomination, fields: dict) -> None:
    retired_on = fields["retired_on"]
    if not isinstance(retired_on, date):
        raise MoveRefused("Please give the effective date.", fields={"retired_on": "must be a date"})
    if retired_on < nomination.submitted_on:
        raise MoveRefused("The effective date is before the nomination was submitted.",
                          fields={"retired_on": "must be on or after the submission date"})
    try:
        outcome = Outcome.from_label(fields["outcome"])
    except ValueError as error:
        raise MoveRefused("Please choose how it was resolved.", fields={"outcome": str(error)}) from None
    nomination.retired_on, nomination.outcome = retired_on, outcome
    nomination.what_changed = fields["note"].strip()
    link_measure(session, nomination, fields)


def _reject(session, nomination: Nomination, fields: dict) -> None:
    nomination.rejection_rationale = fields["note"].strip()


def _mark_duplicate(session, nomination: Nomination, fields: dict) -> None:
    survivor = get_nomination(session=session, nomination_id=int(fields["duplicate_of"]))
    if survivor.id == nomination.id:
        raise MoveRefused("A nomination cannot duplicate itself.",
                          fields={"duplicate_of": "choose a different nomination"})
    if survivor.state in workflow.MERGE_TARGET_REFUSED:
        raise MoveRefused(f"#{survivor.id} is itself {survivor.state.value}; choose the nomination that stays.",
                          fields={"duplicate_of": f"#{survivor.id} is {survivor.state.value}"})
    moved = _move_supporters(session, nomination, survivor)
    nomination.duplicate_of_id = survivor.id
    session.add(Event(
        nomination_id=survivor.id, kind=EventKind.MERGED,
        note=event_note(f"#{nomination.id} was merged into this as a duplicate; {moved} supporter(s) moved here."),
    ))


def _check_survivor_site(session, actor: User, survivor_id: int) -> None:
    """A merge changes the nomination that stays (its supporters, its history): a board member merges only into a
    nomination of a site they decide for."""
    if session.get(Nomination, survivor_id) is not None and not decides(session=session, user=actor,
                                                                       nomination_id=survivor_id):
        raise MoveRefused("The nomination that stays is at a site you do not decide for.",
                          fields={"duplicate_of": "is at a site you do not decide for"})


def _move_supporters(session: Session, duplicate: Nomination, survivor: Nomination) -> int:
    """Supporters (and the submitter, unless anonymous) of the duplicate now support the survivor,
    each person once, never the survivor's own submitter."""
    counted = set(session.exec(select(Supporter.user_id).where(Supporter.nomination_id == survivor.id)).all())
    counted.add(survivor.submitter_id)
    moved = 0
    for supporter in session.exec(select(Supporter).where(Supporter.nomination_id == duplicate.id)).all():
        if supporter.user_id in counted:
            session.delete(supporter)
        else:
            supporter.nomination_id = survivor.id
            counted.add(supporter.user_id)
            moved += 1
    if duplicate.submitter_id is not None and duplicate.submitter_id not in counted and not duplicate.anonymous:
        session.add(Supporter(nomination_id=survivor.id, user_id=duplicate.submitter_id,
                              occurrences_per_week=duplicate.occurrences_per_week))
        moved += 1
    return moved


def _nothing_more(session, nomination: Nomination, fields: dict) -> None:
    """The event's note says it all."""


_EFFECTS = {
    Move.EVALUATE: _evaluate,
    Move.REOPEN: _nothing_more,
    Move.RETIRE: _retire,
    Move.REJECT: _reject,
    Move.MARK_DUPLICATE: _mark_duplicate,
    Move.WITHDRAW: _nothing_more,
}


def _in_words(nomination: Nomination, event: Event) -> str:
    """The move, as a restatement of a closed quarter explains it."""
    said = f"moved from {event.from_state.value} to {event.to_state.value}"
    if nomination.retired_on and event.to_state == State.RETIRED:
        said += f", effective {nomination.retired_on:%-d %B %Y}"
    return said


def _event_note(move: Move, fields: dict) -> str | None:
    """What the move's event says; event_note drops it when blank."""
    if move is Move.MARK_DUPLICATE:
        return f"Duplicate of #{int(fields['duplicate_of'])}."
    note = fields.get("note")
    return note if isinstance(note, str) else None
