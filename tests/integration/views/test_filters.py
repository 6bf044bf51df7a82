"""What /nominations and /board share (views/filters.py): the department, category and source filters, the
sort by hours, and paging that keeps them, on both lists."""

import re
from datetime import date

import pytest

from burden_tracker.enums import RequirementSource, Role, State
from burden_tracker.models import Category
from burden_tracker.queries.reference import find_by_name
from tests.support.factories import add_supporters, make_department, make_nomination, make_user
from tests.support.web import HTMX, fragment_of, pager_links, sign_in

_TITLE = re.compile(r'<td data-label="Title" class="title"><a href="/nominations/\d+">(.*?)</a></td>')


@pytest.fixture(params=["/nominations", "/board"])
def listed(request, client, session):
    """(client, address of the list): a staff member on /nominations, a board member on /board."""
    roles = (Role.STAFF, Role.BOARD) if request.param == "/board" else (Role.STAFF,)
    sign_in(client, make_user(session, *roles, can_sign_in=True).email)
    return client, request.param


def titles(listed, query: str) -> list[str]:
    client, address = listed
    response = client.get(f"{address}?{query}")
    assert response.status_code == 200
    return _TITLE.findall(response.get_data(as_text=True))


def test_the_department_filter_takes_the_department_id(listed, session):
    pharmacy = make_department(session, "Pharmacy")
    make_nomination(session, title="Pharmacy burden", department_id=pharmacy.id)
    make_nomination(session, title="Emergency burden")
    assert titles(listed, f"department={pharmacy.id}") == ["Pharmacy burden"]


def test_the_category_filter_takes_the_category_id(listed, session):
    form = find_by_name(session, Category, "form")
    make_nomination(session, title="A form to retire", category_id=form.id)
    make_nomination(session, title="A task to retire")
    assert titles(listed, f"category={form.id}") == ["A form to retire"]


def test_the_source_filter_takes_the_source_as_people_write_it(listed, session):
    make_nomination(session, title="Payer burden", requirement_source=RequirementSource.PAYER)
    make_nomination(session, title="EHR burden", requirement_source=RequirementSource.EHR_BUILD)
    assert titles(listed, "source=payer") == ["Payer burden"]
    assert titles(listed, "source=EHR+build+or+default") == ["EHR burden"]
    assert titles(listed, "source=ehr_build_or_default") == ["EHR burden"]


def test_sorting_by_hours_uses_the_boards_estimate_over_the_submitters(listed, session):
    make_nomination(session, title="Big until the board measured it", state=State.EVALUATED,
                    minutes_per_occurrence=10, occurrences_per_week=50, clinicians_affected=1000,
                    board_minutes_per_occurrence=1, board_occurrences_per_week=1, board_clinicians_affected=10)
    make_nomination(session, title="Middling", minutes_per_occurrence=2, occurrences_per_week=10,
                    clinicians_affected=100)
    make_nomination(session, title="Confirmed big", state=State.EVALUATED, minutes_per_occurrence=1,
                    occurrences_per_week=1, clinicians_affected=1, board_minutes_per_occurrence=5,
                    board_occurrences_per_week=20, board_clinicians_affected=500)
    assert titles(listed, "sort=hours") == ["Confirmed big", "Middling", "Big until the board measured it"]


def test_paging_links_keep_the_filters_and_the_sort(listed, session, app):
    client, address = listed
    app.config["NOMINATIONS_PER_PAGE"] = 2
    for number in range(5):
        add_supporters(session, make_nomination(session, title=f"Retired {number}", state=State.RETIRED,
                                                retired_on=date(2026, 3, 1)), number)
    make_nomination(session, title="Proposed, never listed")
    pages = [client.get(f"{address}?state=retired&sort=supporters&page={number}").get_data(as_text=True)
             for number in (1, 2, 3)]
    assert [_TITLE.findall(page) for page in pages] == [["Retired 4", "Retired 3"], ["Retired 2", "Retired 1"],
                                                        ["Retired 0"]]
    kept = f"{address}?state=retired&amp;sort=supporters"
    assert [pager_links(page) for page in pages] == [
        {"next": f"{kept}&amp;page=2"}, {"prev": kept, "next": f"{kept}&amp;page=3"}, {"prev": f"{kept}&amp;page=2"}]
    assert "Nominations 3–4" in pages[1]
    if address == "/board":  # the queue, a few hundred open nominations at most, counts them all
        assert "Page 1 of 3" in pages[0] and "Nominations 3–4 of 5," in pages[1]


UNREADABLE = ["page=-1", "page=0", "page=abc", "page=1.5", "page=99999999999999999999999999", "state=nonsense",
              "state=", "sort=evil", "department=abc", "department=99999", "category=-3", "source=astrology",
              "state=retired&state=nonsense"]
UNREADABLE_ON = {"/board": ["sort=newest", "owner=abc", "owner=99999", "owner=-1", "age=ancient", "age=%00",
                            "age=new&sort=age&page=2"],
                 "/nominations": ["q=%00%00", "q=%ff%fe", "q=%25%25%25&sort=hours&page=2"]}


def test_values_that_cannot_be_read_never_break_the_list(listed, session):
    client, address = listed
    make_nomination(session, title="Still listed")
    answers = {query: [client.get(f"{address}?{query}", headers=headers).status_code for headers in (None, HTMX)]
               for query in [*UNREADABLE, *UNREADABLE_ON[address]]}
    assert {query: codes for query, codes in answers.items() if codes != [200, 200]} == {}


def test_an_htmx_request_gets_the_list_in_place_and_a_clean_address_to_push(listed, session):
    client, address = listed
    make_nomination(session, title="Retired burden", state=State.RETIRED, retired_on=date(2026, 3, 1))
    response, fragment = fragment_of(client, f"{address}?state=retired&department=&category=&source=&sort=supporters")
    assert "<h1>" not in fragment and "Retired burden" in fragment
    assert f'id="{"board" if address == "/board" else "nomination"}-list"' in fragment
    assert response.headers["HX-Push-Url"] == f"{address}?state=retired&sort=supporters"
