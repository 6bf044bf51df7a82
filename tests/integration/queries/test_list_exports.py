"""Every row a list's filters find, in the list's order across its pages, each with its submitter named by the
rule: an anonymous one never."""

import pytest

from burden_tracker.enums import State
from burden_tracker.queries import list_exports
from burden_tracker.queries.list_exports import every_listed
from burden_tracker.queries.listing import Filters
from tests.support.factories import make_nomination, make_user


@pytest.fixture
def two_a_read(monkeypatch):
    monkeypatch.setattr(list_exports, "ROWS_A_READ", 2)  # five rows then take three reads


def test_every_page_is_read_in_the_lists_order(session, two_a_read):
    clinicians = [40, 400, 4, 4_000, 40_000]
    made = [make_nomination(session, title=f"Burden for {count}", clinicians_affected=count) for count in clinicians]
    make_nomination(session, title="Closed already", state=State.REJECTED, clinicians_affected=100_000)
    listed = list(every_listed(session=session, filters=Filters(states=frozenset({State.PROPOSED}), sort="hours")))
    assert [item.row.title for item in listed] == [
        "Burden for 40000", "Burden for 4000", "Burden for 400", "Burden for 40", "Burden for 4"]
    assert {item.row.id for item in listed} == {nomination.id for nomination in made}


def test_an_anonymous_submitter_is_never_named(session):
    nurse = make_user(session, name="Priya Nair")
    make_nomination(session, submitter=nurse, title="Named one")
    make_nomination(session, submitter=nurse, title="Hidden one", anonymous=True)
    submitters = {item.row.title: item.submitter for item in every_listed(session=session, filters=Filters())}
    assert submitters == {"Named one": "Priya Nair", "Hidden one": "the submitter (anonymous)"}
