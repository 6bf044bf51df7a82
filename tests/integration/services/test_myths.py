"""The regulatory-myth library's writing, on both databases: the shipped entries added once, an admin's drafts and
their publishing, and the board citing entries as it evaluates."""

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from burden_tracker.enums import Role, State
from burden_tracker.errors import DomainError, MoveRefused
from burden_tracker.models import Myth, MythCited, Nomination
from burden_tracker.services import myths
from burden_tracker.services.transitions import move_nomination
from burden_tracker.workflow import Move
from tests.support.factories import make_nomination, make_user

TODAY = date(2026, 12, 7)
ENTRY = {"belief": "Verbal orders must be signed within 48 hours.",
         "actually": "No federal deadline applies where state law sets none.",
         "citation": "42 CFR 482.24(c)(2)", "source_url": "https://www.ecfr.gov/current/title-42/section-482.24",
         "source_date": date(2012, 5, 16), "keywords": "verbal orders signature"}
EVALUATION = {"minutes_per_occurrence": 1, "occurrences_per_week": 30, "clinicians_affected": 100,
              "confirmed_source": "regulation or accreditation", "note": "Checked the rule."}


@pytest.fixture
def admin(session):
    return make_user(session, Role.ADMIN)


def published(session) -> list[str]:
    found = list(session.scalars(select(Myth.belief).where(Myth.published.is_(True)).order_by(Myth.id)))
    session.rollback()
    return found


def test_the_shipped_library_is_added_once_published_and_an_admins_edit_outlives_it(session, admin):
    shipped = json.loads(myths.LIBRARY.read_text(encoding="utf-8"))["entries"]
    assert myths.add_library(session=session) == len(shipped) >= 10
    assert all(entry["source_url"].startswith("https://") and entry["citation"] for entry in shipped)
    first = session.scalar(select(Myth).where(Myth.key == shipped[0]["key"]))
    draft = myths.save_draft(session=session, actor_id=admin.id, values={**ENTRY}, myth_id=first.id, today=TODAY)
    myths.publish(session=session, actor_id=admin.id, myth_id=draft.id)
    assert myths.add_library(session=session) == 0
    assert session.get(Myth, first.id, populate_existing=True).belief == ENTRY["belief"]
    assert len(published(session)) == len(shipped)


def test_a_new_entry_is_a_draft_until_an_admin_publishes_it(session, admin):
    draft = myths.save_draft(session=session, actor_id=admin.id, values=ENTRY, today=TODAY)
    assert (draft.published, draft.reviewed_on, draft.reviewed_by_id) == (False, TODAY, admin.id)
    assert published(session) == []
    myths.publish(session=session, actor_id=admin.id, myth_id=draft.id)
    assert published(session) == [ENTRY["belief"]]
    with pytest.raises(DomainError, match="already published"):
        myths.publish(session=session, actor_id=admin.id, myth_id=draft.id)


def test_an_edit_waits_as_a_draft_and_publishing_it_keeps_the_nominations_citing_it(session, admin):
    entry = myths.publish(session=session, actor_id=admin.id,
                          myth_id=myths.save_draft(session=session, actor_id=admin.id, values=ENTRY, today=TODAY).id)
    nomination = make_nomination(session)
    session.add(MythCited(nomination_id=nomination.id, myth_id=entry.id))
    session.commit()
    edit = myths.save_draft(session=session, actor_id=admin.id, myth_id=entry.id, today=TODAY,
                            values={**ENTRY, "belief": "Every verbal order must be countersigned in 48 hours."})
    again = myths.save_draft(session=session, actor_id=admin.id, myth_id=entry.id, today=TODAY,
                             values={**ENTRY, "belief": "Each verbal order must be countersigned in 48 hours."})
    assert again.id == edit.id and edit.draft_of_id == entry.id  # one draft per entry
    assert published(session) == [ENTRY["belief"]]
    myths.publish(session=session, actor_id=admin.id, myth_id=edit.id)
    assert published(session) == ["Each verbal order must be countersigned in 48 hours."]
    assert session.scalar(select(func.count()).select_from(Myth)) == 1
    assert session.scalar(select(MythCited.myth_id)) == entry.id


def test_a_draft_thrown_away_leaves_the_published_words(session, admin):
    entry = myths.publish(session=session, actor_id=admin.id,
                          myth_id=myths.save_draft(session=session, actor_id=admin.id, values=ENTRY, today=TODAY).id)
    edit = myths.save_draft(session=session, actor_id=admin.id, myth_id=entry.id, today=TODAY,
                            values={**ENTRY, "belief": "Something else entirely, as a draft."})
    assert myths.discard(session=session, actor_id=admin.id, myth_id=edit.id) == entry.id
    assert published(session) == [ENTRY["belief"]]
    with pytest.raises(DomainError, match="not thrown away"):
        myths.discard(session=session, actor_id=admin.id, myth_id=entry.id)


@pytest.mark.parametrize("field, value, told", [
    ("belief", "Too short", "must be at least 10 characters"),
    ("source_url", "javascript:alert(1)", "must be a web address starting https:// (or http://)"),
    ("source_date", date(2099, 1, 1), "is in the future"),
    ("actually", "x" * 2001, "must be at most 2,000 characters"),
])
def test_a_bad_entry_is_told_beside_its_field_and_nothing_is_saved(session, admin, field, value, told):
    with pytest.raises(DomainError) as refused:
        myths.save_draft(session=session, actor_id=admin.id, values={**ENTRY, field: value}, today=TODAY)
    assert refused.value.fields == {field: told}
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Myth)) == 0


def test_the_board_cites_published_entries_as_it_evaluates_in_one_write(session, admin):
    entry = myths.publish(session=session, actor_id=admin.id,
                          myth_id=myths.save_draft(session=session, actor_id=admin.id, values=ENTRY, today=TODAY).id)
    draft = myths.save_draft(session=session, actor_id=admin.id, today=TODAY,
                             values={**ENTRY, "belief": "A draft nobody may cite yet."})
    board = make_user(session, Role.BOARD)
    nomination = make_nomination(session)
    for wrong in ([str(draft.id)], ["999999"], ["1e3"]):
        with pytest.raises(MoveRefused) as refused:
            move_nomination(session=session, nomination_id=nomination.id, move=Move.EVALUATE, actor=board,
                            expected_version=1, fields={**EVALUATION, "myths": wrong})
        assert refused.value.fields == {"myths": "names an entry that is not in the library"}
        session.rollback()
    move_nomination(session=session, nomination_id=nomination.id, move=Move.EVALUATE, actor=board,
                    expected_version=1, fields={**EVALUATION, "myths": [str(entry.id)]})
    stored = session.get(Nomination, nomination.id, populate_existing=True)
    assert (stored.state, stored.version) == (State.EVALUATED, 2)
    assert list(session.scalars(select(MythCited.myth_id))) == [entry.id]
