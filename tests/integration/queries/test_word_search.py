"""Similar nominations by whole words, ranked by the database's own text search, on SQLite and PostgreSQL;
the words kept follow every change to a title or description, a redaction included."""

import pytest
from sqlalchemy import select

from burden_tracker.enums import Role
from burden_tracker.models import Nomination
from burden_tracker.queries.similar import similar_nominations
from burden_tracker.queries.word_search import with_any_word
from burden_tracker.services.redaction import redact
from tests.support.factories import make_nomination, make_user
from tests.support.plans import plan_without_sequential_scans


def titles(session, typed: str) -> list[str]:
    return [found.title for found in similar_nominations(session=session, text=typed, viewer_id=0)]


def test_a_word_matches_only_whole_words(session):
    make_nomination(session, title="Attestation form signed at every admission", description="Paper, then the EHR.")
    tested = make_nomination(session, title="Glucose tested twice before meals", description="Two flowsheet rows.")
    assert titles(session, "test") == [tested.title]  # stemmed: "test" finds "tested", never "attestation"


def test_a_word_in_the_title_ranks_above_one_in_the_description(session):
    in_description = make_nomination(session, title="Second flowsheet row", description="The sepsis screen again.")
    in_title = make_nomination(session, title="Sepsis screen fires on every vital sign", description="Dismissed.")
    make_nomination(session, title="Fax cover sheet", description="Nothing alike.")
    assert titles(session, "sepsis") == [in_title.title, in_description.title]


def test_a_changed_or_redacted_text_is_searched_as_it_now_stands(session):
    board = make_user(session, Role.STAFF, Role.BOARD)
    nomination = make_nomination(session, title="Restraint order renewal", description="Patient Jane Doe, bed 4.")
    assert titles(session, "Jane") == [nomination.title]
    redact(session=session, nomination_id=nomination.id, key="description", actor=board)
    assert titles(session, "Jane") == []
    nomination.title = "Restraint order renewed every day"
    session.commit()
    assert titles(session, "renewed daily") == [nomination.title] and titles(session, "fax") == []


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # SQLite can only read its FTS5 table
def test_postgresql_reads_the_words_from_its_index(session):
    for number in range(30):
        make_nomination(session, title=f"Wound photo uploaded twice, unit {number}")
    asked = with_any_word(select(Nomination.id), "postgresql", ["wound"])
    plan = plan_without_sequential_scans(session, asked)
    assert "ix_nominations_words" in plan, plan
