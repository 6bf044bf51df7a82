"""Sharing retired burdens with other health systems as burden cards (cards.py), and reading theirs.

An admin marks a retired nomination for sharing, adding what the card says beyond the nomination (the EHR's vendor,
module and build type, and the citation); `burden-tracker commons export` writes every marked card, under the
organization's name only when the settings give one (share_as). Cards from other systems are imported, by the
command line or on /admin/commons: a file that is not valid changes nothing, and a card imported again replaces its
earlier copy rather than adding a second.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from pydantic import ValidationError
from sqlalchemy import select
from sqlmodel import Session

from .. import cards, hours
from ..enums import State
from ..errors import DomainError, NotFound
from ..models import Category, CommonsCard, Nomination, SharedCard, utc_now
from ..queries.measured_impact import Impact, measured_impacts
from ..queries.reference import get_settings, organization_today
from ..schemas import SharedCardIn, field_errors, without_nul
from .admin import record_admin_change


def mark_for_sharing(*, session: Session, actor_id: int, nomination_id: int, values: dict, today: date) -> SharedCard:
    """Marks a retired nomination for sharing, or changes what its card adds; its card id stays."""
    nomination = session.get(Nomination, nomination_id)
    if nomination is None:
        raise NotFound(f"There is no nomination #{nomination_id}.")
    if nomination.state is not State.RETIRED:
        raise DomainError("Only a retired burden is shared as a card.")
    try:
        added = SharedCardIn.model_validate(values).model_dump()
    except ValidationError as error:
        raise DomainError("The card was not marked for sharing.", fields=field_errors(error)) from None
    card = session.get(SharedCard, nomination_id)
    if card is not None and all(getattr(card, key) == value for key, value in added.items()):
        return card  # saved again as it was: nothing to record
    card = card or SharedCard(nomination_id=nomination_id, card_id=f"urn:uuid:{uuid.uuid4()}",
                              shared_by_id=actor_id, shared_on=today)
    for key, value in added.items():
        setattr(card, key, value)
    session.add(card)
    record_admin_change(session, actor_id, f"Nomination #{nomination_id}: marked for sharing as a burden card")
    session.commit()
    return card


def stop_sharing(*, session: Session, actor_id: int, nomination_id: int) -> None:
    """Its card is no longer exported (copies other systems imported stay theirs)."""
    card = session.get(SharedCard, nomination_id)
    if card is not None:
        session.delete(card)
        record_admin_change(session, actor_id, f"Nomination #{nomination_id}: no longer shared as a burden card")
        session.commit()


def export_cards(*, session: Session, since: date | None = None, now: datetime | None = None,
                 today: date | None = None) -> tuple[str, int]:
    """The JSON of every marked card (those marked on or after `since`, when given), oldest first, and how many;
    with what the EHR metrics measured of each by `today` (the organization's, unless given)."""
    settings = get_settings(session=session)
    query = (select(SharedCard, Nomination, Category.name).join(Nomination, Nomination.id == SharedCard.nomination_id)
             .join(Category, Category.id == Nomination.category_id)
             .where(Nomination.state == State.RETIRED).order_by(SharedCard.shared_on, SharedCard.nomination_id))
    if since is not None:
        query = query.where(SharedCard.shared_on >= since)
    rows = session.execute(query).all()
    today = today or organization_today(session=session)
    measured = {impact.nomination_id: _measured(impact) for impact in measured_impacts(
        session=session, today=today, nomination_ids=[nomination.id for _shared, nomination, _category in rows])}
    found = [_card(shared, nomination, category, settings, measured.get(nomination.id))
             for shared, nomination, category in rows]
    return cards.written(found, now or utc_now()), len(found)


def _measured(impact: Impact) -> cards.Measured | None:
    """What the EHR metrics showed, in words another system reads without our departments; None when the
    retirement could not be measured."""
    effect = impact.measured.effect
    if effect is None:
        return None
    metric = impact.metric
    moved = f"{'fell' if effect < 0 else 'rose'} by {abs(effect):.2f} {metric.unit}" if round(effect, 2) else \
        "did not move"
    summary = (f"{metric.name} {moved} in the departments it affected, against the others, over the "
               f"{impact.window_months} months before and after.")
    if impact.hours_measured is not None:
        summary += f" {_hours_measured(impact)}"
    return cards.Measured(metric=metric.key, summary=summary)


def _hours_measured(impact: Impact) -> str:
    """The hours a year the change of the metric stands for, and the interval of the hours given back (negative:
    hours added) where there is one."""
    hours_a_year, low = impact.hours_measured, impact.hours_low
    said = (f"About {abs(hours_a_year):,.0f} clinician-hours a year {'given back' if hours_a_year >= 0 else 'added'}, "
            "measured")
    if low is not None:
        said += f" (interval of the hours given back: {low:,.0f} to {impact.hours_high:,.0f})"
    return said + "."


def _card(shared: SharedCard, nomination: Nomination, category: str, settings,
          measured: cards.Measured | None) -> cards.Card:
    weekly = hours.weekly_hours(*nomination.estimate)
    return cards.Card(
        id=shared.card_id, title=nomination.title, what_was_done=nomination.description,
        what_changed=nomination.what_changed or "Retired.", category=category,
        affected_role=nomination.affected_role,
        ehr=cards.Ehr(vendor=shared.ehr_vendor, module=shared.ehr_module, build_type=shared.build_type),
        requirement=cards.Requirement(source=nomination.confirmed_source or nomination.requirement_source,
                                      citation=shared.citation),
        outcome=nomination.outcome,
        effect=cards.Effect(estimated_hours_per_year=round(hours.annual_hours(weekly, settings.working_weeks_per_year),
                                                           1), measured=measured),
        organization=settings.share_as, retired_on=nomination.retired_on)


def set_share_as(*, session: Session, actor_id: int, name: str | None) -> None:
    """The name cards are shared under; None or blank: they name no organization."""
    name = (without_nul(name) or "").strip() or None
    if name and len(name) > 200:
        raise DomainError("The name was not saved.", fields={"share_as": "must be at most 200 characters"})
    settings = get_settings(session=session)
    settings.share_as = name
    session.add(settings)
    record_admin_change(session, actor_id, f"Burden cards: shared as {name!r}" if name else
                        "Burden cards: shared without a name")
    session.commit()


@dataclass(frozen=True)
class Imported:
    added: int
    replaced: int
    own: int  # this system's own cards, come back: left out


def import_cards(*, session: Session, text: bytes | str) -> Imported:
    """Reads a file of cards and keeps each, replacing an earlier copy of the same card; refuses the whole file,
    saying what is wrong where, when any of it is not valid."""
    try:
        document = cards.read(text)
    except ValueError as error:
        raise DomainError(f"The file was not imported: it is not a valid file of burden cards.\n{error}") from None
    ids = [card.id for card in document.cards]
    if len(set(ids)) != len(ids):
        raise DomainError("The file was not imported: it holds the same card twice.")
    ours = set(session.scalars(select(SharedCard.card_id).where(SharedCard.card_id.in_(ids))))
    held = {row.card_id: row for row in session.scalars(select(CommonsCard).where(CommonsCard.card_id.in_(ids)))}
    added = replaced = 0
    for card in document.cards:
        if card.id in ours:
            continue
        row = held.get(card.id) or CommonsCard(card_id=card.id)
        added, replaced = (added, replaced + 1) if card.id in held else (added + 1, replaced)
        _fill(row, card)
        session.add(row)
    session.commit()
    return Imported(added, replaced, len(ours))


def _fill(row: CommonsCard, card: cards.Card) -> None:
    row.organization, row.title, row.what_was_done = card.organization, card.title, card.what_was_done
    row.what_changed, row.category, row.affected_role = card.what_changed, card.category, card.affected_role
    row.ehr_vendor, row.ehr_module, row.build_type = card.ehr.vendor, card.ehr.module, card.ehr.build_type
    row.requirement_source, row.citation = card.requirement.source, card.requirement.citation
    row.outcome, row.retired_on, row.imported_at = card.outcome, card.retired_on, utc_now()
    row.estimated_hours_per_year = card.effect.estimated_hours_per_year
    measured = card.effect.measured
    row.measured_metric, row.measured_summary = (measured.metric, measured.summary) if measured else (None, None)
