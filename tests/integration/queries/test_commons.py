"""Burden cards from other health systems as /commons and the nomination form read them, on SQLite and PostgreSQL:
search and filters, the cards offered while a nomination is typed (whole words, kept in step with every import),
and a nomination's fields filled from a card."""

import json
from datetime import date

import pytest
from sqlalchemy import select

from burden_tracker.enums import AffectedRole, Outcome, RequirementSource
from burden_tracker.models import Category, CommonsCard
from burden_tracker.queries.commons import (
    PER_PAGE,
    CardFilters,
    field_cards,
    nomination_from,
    offered_cards,
    vendors,
)
from burden_tracker.queries.word_search import cards_with_any_word
from burden_tracker.services.commons import import_cards
from tests.support.factories import make_card
from tests.support.plans import plan_without_sequential_scans


def titles(session, **filters) -> list[str]:
    return [card.title for card in field_cards(session=session, filters=CardFilters(**filters), page=1).rows]


def offered(session, typed: str, **options) -> list[str]:
    return [card.title for card in offered_cards(session=session, text=typed, **options)]


def test_the_cards_are_listed_latest_retired_first_and_searched_by_every_word(session):
    make_card(session, "Fax cover sheet for every referral", retired_on=date(2026, 1, 5))
    make_card(session, "IV site charted twice", what_changed="The 100% duplicate row went.",
              retired_on=date(2026, 5, 1))
    make_card(session, "Fall risk rescored each shift", citation="CMS 482.23", retired_on=date(2026, 3, 1))
    assert titles(session) == ["IV site charted twice", "Fall risk rescored each shift",
                               "Fax cover sheet for every referral"]
    assert titles(session, q="charted iv") == ["IV site charted twice"]
    assert titles(session, q="482.23") == ["Fall risk rescored each shift"]  # the citation is searched too
    assert titles(session, q="100%") == ["IV site charted twice"]  # a % in the search is a percent sign
    assert titles(session, q="_") == []


def test_the_filters_narrow_the_cards_and_the_vendors_offered_are_those_named(session):
    make_card(session, "Epic removal", ehr_vendor="Epic", outcome=Outcome.REMOVED)
    make_card(session, "Oracle clarification", ehr_vendor="Oracle Health", outcome=Outcome.CLARIFIED,
              affected_role=AffectedRole.PHYSICIAN, requirement_source=RequirementSource.REGULATION)
    make_card(session, "No vendor named")
    assert vendors(session=session) == ["Epic", "Oracle Health"]
    assert titles(session, vendor="Epic") == ["Epic removal"]
    assert titles(session, outcome=Outcome.CLARIFIED) == ["Oracle clarification"]
    assert titles(session, role=AffectedRole.PHYSICIAN, source=RequirementSource.REGULATION) == [
        "Oracle clarification"]
    assert titles(session, role=AffectedRole.PHYSICIAN, vendor="Epic") == []


def test_the_cards_come_a_page_at_a_time(session):
    for number in range(PER_PAGE + 1):
        make_card(session, f"Duplicate row number {number}")
    first = field_cards(session=session, filters=CardFilters(), page=1)
    second = field_cards(session=session, filters=CardFilters(), page=2)
    assert (len(first.rows), first.has_next, len(second.rows), second.has_next) == (PER_PAGE, True, 1, False)


def test_cards_are_offered_by_whole_words_of_what_is_typed_the_title_first(session):
    in_text = make_card(session, "Second signature on every order",
                        what_was_done="A wound photo printed for the chart.")
    in_title = make_card(session, "Wound photos printed for the paper chart")
    make_card(session, "Attestation at admission", what_was_done="Signed twice.")
    assert offered(session, "printing wound photographs") == [in_title.title, in_text.title]
    assert offered(session, "test") == []  # "attestation" holds the letters, not the word
    assert offered(session, "wound photo", leaving_out=in_title.id) == [in_text.title]
    assert offered(session, "the and with") == []


def test_a_card_imported_again_is_offered_by_its_new_words(session):
    card = {"id": "urn:uuid:0b8e4c4e-3f6a-4d2b-9c1e-5a7d2f1e8b90", "title": "Restraint order renewed daily",
            "what_was_done": "Signed each morning.", "what_changed": "Renewed as the rule says.",
            "category": "orders", "affected_role": "physician", "requirement": {"source": "unknown"},
            "effect": {"estimated_hours_per_year": 300}, "retired_on": "2026-03-01"}

    def imported(**changes):
        import_cards(session=session, text=json.dumps({"format": "burden-cards", "version": 1,
                                                       "exported_at": "2026-12-07T10:00:00Z",
                                                       "cards": [card | changes]}))

    imported()
    assert offered(session, "restraint") == ["Restraint order renewed daily"]
    imported(title="Seclusion order renewed daily", what_was_done="Signed every evening.")
    assert offered(session, "restraint") == [] and offered(session, "seclusion evening") == [
        "Seclusion order renewed daily"]


def test_a_nomination_is_filled_from_a_card_with_our_category_where_one_is_named_alike(session):
    session.add(Category(name="Wound Çare"))  # compared letter by letter, in any case, on both databases
    session.commit()
    card = make_card(session, "IV site charted twice", what_was_done="Each IV assessed in two places.",
                     what_changed="One row left.", category="WOUND ÇARE", organization="Valley Health",
                     affected_role=AffectedRole.NURSE, requirement_source=RequirementSource.EHR_BUILD)
    filled = nomination_from(session=session, card_id=card.id)
    assert filled == {"title": "IV site charted twice", "description": "Each IV assessed in two places.",
                      "suggested_change": "One row left.", "affected_role": "nurse",
                      "requirement_source": "EHR build or default", "category": "Wound Çare",
                      "from_card": card.id}
    other = make_card(session, "Another", category="Throughput")
    assert nomination_from(session=session, card_id=other.id)["category"] is None


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # SQLite can only read its FTS5 table
def test_postgresql_reads_the_cards_words_from_its_index(session):
    for number in range(30):
        make_card(session, f"Wound photo uploaded twice, unit {number}")
    asked = cards_with_any_word(select(CommonsCard.id), "postgresql", ["wound"])
    plan = plan_without_sequential_scans(session, asked)
    assert "ix_commons_cards_words" in plan, plan
