"""The regulatory-myth library as pages read it, on both databases: what is offered while a nomination is typed,
search, drafts kept from everyone but admins, and the nominations citing an entry."""

from datetime import date

import pytest

from burden_tracker.enums import State
from burden_tracker.errors import NotFound
from burden_tracker.models import Myth, MythCited
from burden_tracker.queries.myths import LIBRARY_REVIEWER, matching, myth_page, published
from burden_tracker.services.myths import add_library
from tests.support.factories import make_nomination


@pytest.fixture
def library(session):
    add_library(session=session)
    draft = Myth(belief="Pain scores must be charted twice a shift on every ward.", actually="A draft.",
                 citation="None yet", source_url="https://example.org/", reviewed_on=date(2026, 12, 1))
    session.add(draft)
    session.commit()
    return draft


def beliefs(found) -> list[str]:
    return [myth.belief for myth in found]


def test_typing_a_burden_offers_the_entries_sharing_its_words_and_never_a_draft(session, library):
    offered = beliefs(matching(session=session, text="Asking every patient to score their pain at every visit"))
    assert offered[0].startswith("Clinicians must ask every patient to rate their pain at every visit")
    assert library.belief not in offered
    assert matching(session=session, text="Sepsis alert fires twice on admission") == []
    assert matching(session=session, text="pain") == []  # one word is not enough to go on


def test_verbal_orders_typed_in_a_description_find_both_verbal_order_entries(session, library):
    offered = beliefs(matching(session=session, text="We have to get every verbal order signed by the doctor"))
    assert sum("verbal order" in belief.lower() for belief in offered) == 2


def test_the_library_is_searched_by_every_word(session, library):
    assert beliefs(published(session=session, q="VERBAL 48")) == [
        "Federal rules require the ordering physician to sign every verbal order within 48 hours."]
    assert len(published(session=session)) == 14


def test_a_draft_is_an_admins_only_and_an_entry_lists_the_nominations_citing_it(session, library):
    with pytest.raises(NotFound):
        myth_page(session=session, myth_id=library.id, admin=False)
    assert myth_page(session=session, myth_id=library.id, admin=True).myth.published is False
    entry = published(session=session, q="verbal 48")[0]
    nomination = make_nomination(session, state=State.EVALUATED, title="Verbal orders countersigned in two days")
    session.add(MythCited(nomination_id=nomination.id, myth_id=entry.id))
    session.commit()
    page = myth_page(session=session, myth_id=entry.id, admin=False)
    assert [(c.title, c.state) for c in page.citing] == [("Verbal orders countersigned in two days", State.EVALUATED)]
    assert page.reviewed_by == LIBRARY_REVIEWER and page.draft_id is None
