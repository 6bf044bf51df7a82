"""Browse and search at /nominations: filters, search, sorting and paging in the address, answered in place."""

import html
import re
from datetime import date
from urllib.parse import urlencode

from burden_tracker.enums import State
from burden_tracker.queries.listing import Filters, list_nominations
from burden_tracker.services.demo import load_demo
from tests.support.factories import add_supporters, make_department, make_nomination, make_site
from tests.support.web import HTMX, fragment_of, statements_for

_TITLE = re.compile(r'<td data-label="Title" class="title"><a href="/nominations/\d+">(.*?)</a></td>')


def titles(client, address: str, headers=None) -> list[str]:
    response = client.get(address, headers=headers)
    assert response.status_code == 200
    return _TITLE.findall(response.get_data(as_text=True))


def test_the_state_filter_shows_only_nominations_in_that_state(staff_client, session):
    make_nomination(session, title="Retired burden", state=State.RETIRED, retired_on=date(2026, 3, 1))
    make_nomination(session, title="Proposed burden")
    assert titles(staff_client, "/nominations?state=retired") == ["Retired burden"]


def test_filters_combine(staff_client, session):
    pharmacy = make_department(session, "Pharmacy")
    make_nomination(session, title="Retired in pharmacy", department_id=pharmacy.id, state=State.RETIRED,
                    retired_on=date(2026, 3, 1))
    make_nomination(session, title="Proposed in pharmacy", department_id=pharmacy.id)
    make_nomination(session, title="Retired elsewhere", state=State.RETIRED, retired_on=date(2026, 3, 1))
    assert titles(staff_client, f"/nominations?state=retired&department={pharmacy.id}") == ["Retired in pharmacy"]


def test_search_finds_words_in_title_or_description_ignoring_case(staff_client, session):
    make_nomination(session, title="Fax cover sheet for every referral", description="Printed and scanned.")
    make_nomination(session, title="Duplicate consent", description="Signed on paper, then again in the FAX queue.")
    make_nomination(session, title="Pain score twice", description="Two flowsheet rows.")
    assert sorted(titles(staff_client, "/nominations?q=fAx")) == ["Duplicate consent",
                                                                   "Fax cover sheet for every referral"]
    assert titles(staff_client, "/nominations?q=paper+fax") == ["Duplicate consent"]


def test_search_takes_percent_underscore_and_slash_literally(staff_client, session):
    make_nomination(session, title="Alert fires at 100% of admissions")
    make_nomination(session, title="Alert fires at 1000 admissions")
    make_nomination(session, title="Forms 5/7 and 6/8")
    assert titles(staff_client, "/nominations?q=100%25") == ["Alert fires at 100% of admissions"]
    assert titles(staff_client, "/nominations?q=_") == []
    assert titles(staff_client, "/nominations?q=5/7") == ["Forms 5/7 and 6/8"]
    assert titles(staff_client, "/nominations?q=/%25") == []


def test_search_takes_quotes_and_backslashes_literally(staff_client, session):
    make_nomination(session, title="The patient's \\ form")
    make_nomination(session, title="Patients form")

    def found(q: str) -> list[str]:
        return [html.unescape(title) for title in titles(staff_client, "/nominations?" + urlencode({"q": q}))]

    assert found("patient's") == ["The patient's \\ form"]
    assert found("\\") == ["The patient's \\ form"]
    assert found("'); DROP TABLE nominations; --") == []
    assert found("form") == ["Patients form", "The patient's \\ form"]


def test_a_search_given_straight_to_the_service_ignores_nul_characters(session):
    make_nomination(session, title="Consent signed twice")
    listing = list_nominations(session=session, page=1, per_page=10, filters=Filters(q="con\x00sent"))
    assert [row.title for row in listing.rows] == ["Consent signed twice"]


def test_newest_first_is_the_default_and_the_later_entry_wins_a_tie(staff_client, session):
    make_nomination(session, title="Oldest", submitted_on=date(2026, 1, 2))
    make_nomination(session, title="Same day, entered first", submitted_on=date(2026, 2, 2))
    make_nomination(session, title="Same day, entered second", submitted_on=date(2026, 2, 2))
    expected = ["Same day, entered second", "Same day, entered first", "Oldest"]
    assert titles(staff_client, "/nominations") == expected
    assert titles(staff_client, "/nominations?sort=newest") == expected


def test_sorting_by_supporters_puts_the_most_supported_first(staff_client, session):
    add_supporters(session, make_nomination(session, title="Two supporters"), 2)
    make_nomination(session, title="No supporters")
    add_supporters(session, make_nomination(session, title="Three supporters"), 3)
    page = staff_client.get("/nominations?sort=supporters").get_data(as_text=True)
    assert _TITLE.findall(page) == ["Three supporters", "Two supporters", "No supporters"]
    assert '<td data-label="Supporters" class="number">3</td>' in page


def test_an_htmx_request_gets_the_list_and_its_summary_but_not_the_filters_being_typed_in(staff_client):
    _response, fragment = fragment_of(staff_client, "/nominations?state=retired&sort=hours")
    assert 'id="nomination-filters"' not in fragment
    assert 'id="nomination-summary"' in fragment and 'hx-swap-oob="innerHTML"' in fragment


def test_a_plain_request_gets_the_whole_page_with_the_filters_filled_in(staff_client, session):
    pharmacy = make_department(session, "Pharmacy")
    response = staff_client.get(f"/nominations?state=retired&department={pharmacy.id}&q=fax&sort=supporters")
    page = response.get_data(as_text=True)
    assert "<html" in page and 'id="nomination-filters"' in page and 'id="nomination-list"' in page
    assert "HX-Request" in response.vary and "HX-Push-Url" not in response.headers
    assert 'hx-swap-oob' not in page
    for selected in ('value="retired" selected', f'value="{pharmacy.id}" selected', 'value="supporters" selected'):
        assert selected in page
    assert 'name="q" value="fax"' in page


def test_going_back_in_history_gets_the_whole_page(staff_client):
    headers = {**HTMX, "HX-History-Restore-Request": "true"}
    assert "<html" in staff_client.get("/nominations?state=retired", headers=headers).get_data(as_text=True)


def test_values_that_cannot_be_read_are_ignored_and_named(staff_client, session):
    make_nomination(session, title="Still listed")
    page = staff_client.get("/nominations?state=nonsense&sort=evil&department=abc&page=-4").get_data(as_text=True)
    assert _TITLE.findall(page) == ["Still listed"]
    assert "We ignored what we could not read in the address: state, department, sort." in page


def test_a_search_of_a_megabyte_is_shortened_not_refused(staff_client, session):
    make_nomination(session, title="Fax cover sheet")
    response = staff_client.get("/nominations", query_string={"q": "fax" + " x" * 500_000})
    assert response.status_code == 200
    assert "The search was too long" in response.get_data(as_text=True)


def test_a_page_past_the_end_says_so_and_leads_back(staff_client, session):
    make_nomination(session, title="Only one")
    page = staff_client.get("/nominations?state=proposed&page=7").get_data(as_text=True)
    assert "No nominations on page 7." in page
    assert 'href="/nominations?state=proposed"' in page


def test_no_match_says_so_once_and_offers_a_next_step(staff_client, session):
    make_nomination(session, title="Pain score twice")
    page = staff_client.get("/nominations?q=astrology").get_data(as_text=True)
    assert page.count("No nominations match.") == 1 and "<table" not in page
    assert "Clear filters" not in page and "clear the filters</a> to see every nomination." in page


def test_an_empty_list_offers_the_first_step(staff_client):
    page = staff_client.get("/nominations").get_data(as_text=True)
    assert page.count("No nominations yet.") == 1
    assert '<a href="/nominations/new">Nominate a burden</a>' in page


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/nominations?state=retired")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_titles_and_the_search_are_escaped(staff_client, session):
    make_nomination(session, title="<script>alert(1)</script> twice")
    page = staff_client.get("/nominations", query_string={"q": '"><script>alert(2)</script>'}).get_data(as_text=True)
    assert "<script>alert(2)</script>" not in page and "&#34;&gt;&lt;script&gt;alert(2)" in page
    listed = staff_client.get("/nominations").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in listed and "&lt;script&gt;alert(1)&lt;/script&gt; twice" in listed


def test_each_row_links_to_its_nomination(staff_client, session):
    nomination = make_nomination(session, title="Linked burden")
    page = staff_client.get("/nominations").get_data(as_text=True)
    assert f'<a href="/nominations/{nomination.id}">Linked burden</a>' in page


def test_the_number_of_queries_does_not_grow_with_the_rows(staff_client, session, app):
    add_supporters(session, make_nomination(session), 1)
    few = statements_for(app, staff_client, "/nominations?sort=supporters")
    for _ in range(8):
        add_supporters(session, make_nomination(session), 2)
    assert statements_for(app, staff_client, "/nominations?sort=supporters") == few


def test_the_list_shows_nominations_from_the_database_newest_first(staff_client, session):
    client = staff_client
    make_nomination(session, title="Older burden <script>alert(1)</script>", submitted_on=date(2026, 1, 2))
    make_nomination(session, title="Newer burden", submitted_on=date(2026, 2, 2))
    page = client.get("/nominations").get_data(as_text=True)
    assert page.index("Newer burden") < page.index("Older burden")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_the_list_is_paged(staff_client, session):
    client = staff_client
    load_demo(session=session)
    first = client.get("/nominations").get_data(as_text=True)
    assert first.count("<tr>") == 51  # a header row and 50 nominations
    assert 'rel="next"' in first
    last = client.get("/nominations?page=4").get_data(as_text=True)
    assert last.count('<tr>') == 51 and 'rel="next"' not in last


def test_the_home_page_leads_to_the_list(staff_client):
    client = staff_client
    assert client.get("/").headers["Location"].endswith("/nominations")


def test_the_list_leaves_as_csv_with_the_pages_filters_and_every_page(staff_client, session, app):
    app.config["NOMINATIONS_PER_PAGE"] = 2
    pharmacy = make_department(session, "Pharmacy").id
    for number in range(5):
        make_nomination(session, title=f"Fax cover sheet {number}", department_id=pharmacy,
                        submitted_on=date(2026, 3, number + 1))
    make_nomination(session, title="Fax in another department")
    make_nomination(session, title="Pharmacy burden without the word", department_id=pharmacy)
    page = staff_client.get(f"/nominations?q=fax&department={pharmacy}").get_data(as_text=True)
    assert f'href="/nominations.csv?q=fax&amp;department={pharmacy}"' in page
    with staff_client.get(f"/nominations.csv?q=fax&department={pharmacy}") as response:
        assert response.mimetype == "text/csv" and response.headers["Cache-Control"] == "private, no-store"
        assert re.fullmatch(r'attachment; filename=nominations-\d{4}-\d\d-\d\d\.csv',
                            response.headers["Content-Disposition"])
        lines = response.get_data(as_text=True).removeprefix("\ufeff").splitlines()
    assert [line.split(",")[1] for line in lines[1:]] == [f"Fax cover sheet {n}" for n in (4, 3, 2, 1, 0)]


def test_a_list_file_leaves_out_what_the_address_cannot_read_as_the_page_does(staff_client, session):
    make_nomination(session, title="Only one")
    with staff_client.get("/nominations.xlsx?state=nonsense&department=abc") as response:
        assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")


def test_the_site_filter_appears_with_a_second_site_and_finds_its_departments_nominations(staff_client, session):
    make_nomination(session, title="Sepsis alert fires twice")
    assert 'name="site"' not in staff_client.get("/nominations").get_data(as_text=True)
    kona = make_site(session, "Kona")
    make_nomination(session, title="Fax cover sheet", department_id=make_department(session, "Kona ED", site=kona).id)
    kona_id = kona.id
    session.rollback()
    page = staff_client.get("/nominations").get_data(as_text=True)
    assert f'<option value="{kona_id}" >Kona</option>' in page
    assert titles(staff_client, f"/nominations?site={kona_id}") == ["Fax cover sheet"]
    assert titles(staff_client, f"/nominations?site={kona_id}&q=sepsis") == []
