"""The board's triage queue at /board: counts per state, filters, sorting, paging and overdue marking."""

import io
import re
from datetime import date, timedelta

import openpyxl
import pytest

from burden_tracker.enums import Role, State
from burden_tracker.models import Nomination, Settings
from burden_tracker.queries import listing
from tests.support.factories import (
    add_supporters,
    limit_to_sites,
    make_department,
    make_nomination,
    make_site,
    make_user,
)
from tests.support.web import HTMX, fragment_of, sign_in, statements_for

_ROW = re.compile(r"<tr( class=\"overdue\")?>(.*?)</tr>", re.S)
_CELL = re.compile(r'<td data-label="([^"]+)"[^>]*>(.*?)</td>', re.S)
_TAG = re.compile(r"<[^>]+>")
_COUNT = re.compile(r"<span>(\w+)</span> <strong>(\d+)</strong>(?: <small>(\d+) overdue</small>)?")


@pytest.fixture
def board_client(client, session):
    sign_in(client, make_user(session, Role.STAFF, Role.BOARD, can_sign_in=True).email)
    return client


def days_ago(days: int) -> date:
    return date.today() - timedelta(days=days)


def page_of(client, address: str, headers=None) -> str:
    response = client.get(address, headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def rows(page: str) -> list[dict[str, str]]:
    """Each row of the queue as {column: text}, with "overdue" saying whether the row is marked."""
    return [{**{label: " ".join(_TAG.sub("", cell).split()) for label, cell in _CELL.findall(body)},
             "overdue": bool(overdue)} for overdue, body in _ROW.findall(page) if "<td" in body]


def titles(client, address: str) -> list[str]:
    return [row["Title"] for row in rows(page_of(client, address))]


def counts(page: str) -> dict[str, tuple[int, int]]:
    return {label: (int(number), int(overdue or 0)) for label, number, overdue in _COUNT.findall(page)}


def test_the_queue_shows_the_open_pipeline_by_default(board_client, session):
    make_nomination(session, title="Proposed burden")
    make_nomination(session, title="Evaluated burden", state=State.EVALUATED)
    make_nomination(session, title="Retired burden", state=State.RETIRED, retired_on=date(2026, 3, 1))
    for state in (State.REJECTED, State.WITHDRAWN):
        make_nomination(session, title=f"{state.value} burden", state=state)
    assert sorted(titles(board_client, "/board")) == ["Evaluated burden", "Proposed burden"]


def test_the_counts_per_state_follow_every_filter_but_the_state(board_client, session):
    pharmacy = make_department(session, "Pharmacy")
    for _ in range(3):
        make_nomination(session, department_id=pharmacy.id, submitted_on=days_ago(40))
    make_nomination(session, department_id=pharmacy.id, state=State.EVALUATED, submitted_on=days_ago(2))
    make_nomination(session, department_id=pharmacy.id, state=State.RETIRED, retired_on=date(2026, 3, 1))
    make_nomination(session, title="Elsewhere")
    found = counts(page_of(board_client, f"/board?state=retired&department={pharmacy.id}"))
    assert found == {"Open": (4, 3), "Proposed": (3, 3), "Evaluated": (1, 0), "Retired": (1, 0), "Rejected": (0, 0),
                     "Duplicate": (0, 0), "Withdrawn": (0, 0), "All": (5, 3)}


def test_counting_stops_at_the_limit_and_says_there_are_more(board_client, session, app, monkeypatch):
    monkeypatch.setattr(listing, "COUNT_LIMIT", 3)  # the real limit is 1,000; the rule is the same
    app.config["NOMINATIONS_PER_PAGE"] = 2
    for _ in range(5):
        make_nomination(session, submitted_on=days_ago(40))
    make_nomination(session, state=State.EVALUATED, submitted_on=days_ago(2))
    page = page_of(board_client, "/board")
    assert "<span>Open</span> <strong>4+</strong> <small>3+ overdue</small>" in page
    assert "<span>Proposed</span> <strong>3+</strong> <small>3+ overdue</small>" in page
    assert "<span>Evaluated</span> <strong>1</strong></a>" in page
    assert "Nominations 1–2 of 4+, most hours first." in page
    assert "<li>Page 1</li>" in page  # how many pages is not known
    assert len(rows(page_of(board_client, "/board?page=3"))) == 2  # the list itself is whole


def test_the_count_of_the_chosen_state_is_marked_current_and_each_count_links_to_its_state(board_client, session):
    page = page_of(board_client, "/board?state=rejected&sort=age")
    assert '<a href="/board?state=rejected&amp;sort=age" hx-get="/board?state=rejected&amp;sort=age" ' \
           'aria-current="true">' in page
    assert '<a href="/board?sort=age" hx-get="/board?sort=age">' in page
    assert page.count('aria-current="true"') == 1


def test_the_state_filter_takes_one_state_or_all_of_them(board_client, session):
    make_nomination(session, title="Proposed burden")
    make_nomination(session, title="Retired burden", state=State.RETIRED, retired_on=date(2026, 3, 1))
    assert titles(board_client, "/board?state=retired") == ["Retired burden"]
    assert sorted(titles(board_client, "/board?state=all")) == ["Proposed burden", "Retired burden"]
    assert titles(board_client, "/board?state=open") == ["Proposed burden"]


def test_the_owner_filter_takes_a_board_member_or_unassigned(board_client, session):
    owner = make_user(session, Role.STAFF, Role.BOARD, name="Dr. Ada Owner")
    make_nomination(session, title="Owned burden", owner_id=owner.id)
    make_nomination(session, title="Unowned burden")
    assert titles(board_client, f"/board?owner={owner.id}") == ["Owned burden"]
    assert titles(board_client, "/board?owner=none") == ["Unowned burden"]
    page = page_of(board_client, "/board")
    assert f'<option value="{owner.id}" >Dr. Ada Owner</option>' in page


def test_the_owner_filter_offers_only_board_members(board_client, session):
    staff = make_user(session, name="Sam Staff")
    page = page_of(board_client, f"/board?owner={staff.id}")
    assert "Sam Staff" not in page
    assert "We ignored what we could not read in the address: owner." in page


def test_the_age_filter_finds_new_and_overdue_nominations(board_client, session):
    make_nomination(session, title="A week old", submitted_on=days_ago(7))
    make_nomination(session, title="Eight days old", submitted_on=days_ago(8))
    make_nomination(session, title="Waiting 31 days", submitted_on=days_ago(31))
    make_nomination(session, title="Retired long ago", state=State.RETIRED, submitted_on=days_ago(90),
                    retired_on=days_ago(10))
    assert titles(board_client, "/board?age=new") == ["A week old"]
    assert titles(board_client, "/board?age=overdue&state=all") == ["Waiting 31 days"]
    assert titles(board_client, "/board?age=overdue&state=retired") == []  # only open nominations are overdue


def test_most_potential_hours_first_is_the_default(board_client, session):
    make_nomination(session, title="Middling", minutes_per_occurrence=2, occurrences_per_week=10,
                    clinicians_affected=100)
    make_nomination(session, title="Big", minutes_per_occurrence=5, occurrences_per_week=20, clinicians_affected=500)
    assert titles(board_client, "/board") == ["Big", "Middling"]  # sorting by hours itself: views/test_filters.py


def test_sorting_by_supporters_puts_the_most_supported_first(board_client, session):
    add_supporters(session, make_nomination(session, title="Two supporters"), 2)
    make_nomination(session, title="No supporters")
    add_supporters(session, make_nomination(session, title="Three supporters"), 3)
    found = rows(page_of(board_client, "/board?sort=supporters"))
    assert [(row["Title"], row["Supporters"]) for row in found] == [
        ("Three supporters", "3"), ("Two supporters", "2"), ("No supporters", "0")]


def test_sorting_by_age_puts_the_longest_waiting_first_and_the_earlier_entry_wins_a_tie(board_client, session):
    make_nomination(session, title="Ten days", submitted_on=days_ago(10))
    make_nomination(session, title="Sixty days, entered first", submitted_on=days_ago(60))
    make_nomination(session, title="Two days", submitted_on=days_ago(2))
    make_nomination(session, title="Sixty days, entered second", submitted_on=days_ago(60))
    assert titles(board_client, "/board?sort=age") == [
        "Sixty days, entered first", "Sixty days, entered second", "Ten days", "Two days"]


def test_each_row_shows_state_department_hours_supporters_age_and_owner(board_client, session):
    owner = make_user(session, Role.STAFF, Role.BOARD, name="Dr. Ada Owner")
    nomination = make_nomination(session, title="Counted burden", state=State.EVALUATED, owner_id=owner.id,
                                 minutes_per_occurrence=6, occurrences_per_week=10, clinicians_affected=100,
                                 submitted_on=days_ago(12))
    add_supporters(session, nomination, 2)
    page = page_of(board_client, "/board")
    assert f'<a href="/nominations/{nomination.id}">Counted burden</a>' in page
    assert rows(page) == [{"Title": "Counted burden", "State": "evaluated", "Department": "Emergency Department",
                           "Hours a year": "4,600", "Supporters": "2", "Age": "waiting 12 days",
                           "Owner": "Dr. Ada Owner", "overdue": False}]


def test_an_open_nomination_is_overdue_only_once_it_has_waited_longer_than_the_threshold(board_client, session):
    make_nomination(session, title="At the threshold", submitted_on=days_ago(30))
    make_nomination(session, title="A day past it", state=State.EVALUATED, submitted_on=days_ago(31))
    make_nomination(session, title="Rejected long ago", state=State.REJECTED, submitted_on=days_ago(200))
    found = {row["Title"]: row for row in rows(page_of(board_client, "/board?state=all"))}
    assert found["At the threshold"]["overdue"] is False
    assert found["At the threshold"]["Age"] == "waiting 30 days"
    assert found["A day past it"]["overdue"] is True
    assert found["A day past it"]["Age"] == "Overdue waiting 31 days"
    assert found["Rejected long ago"]["overdue"] is False
    assert found["Rejected long ago"]["Age"] == "200 days"


def test_changing_stale_after_days_changes_what_is_overdue(board_client, session):
    make_nomination(session, title="Waiting 12 days", submitted_on=days_ago(12))
    assert rows(page_of(board_client, "/board"))[0]["overdue"] is False
    session.get(Settings, 1).stale_after_days = 10
    session.commit()
    page = page_of(board_client, "/board")
    assert rows(page)[0]["overdue"] is True
    assert "not moved for more than\n  10 days, is marked" in page
    assert titles(board_client, "/board?age=overdue") == ["Waiting 12 days"]


def test_an_htmx_request_also_gets_the_counts_filters_and_summary_to_swap_where_they_are(board_client):
    _response, fragment = fragment_of(board_client, "/board?state=retired&sort=age")
    for oob in ('<nav id="state-counts"', '<form id="queue-filters"'):
        assert re.search(oob + r'[^>]*hx-swap-oob="true"', fragment)
    assert re.search(r'id="queue-summary"[^>]*hx-swap-oob="innerHTML"', fragment)


def test_a_plain_request_gets_the_whole_page_with_the_filters_filled_in(board_client, session):
    owner = make_user(session, Role.STAFF, Role.BOARD)
    pharmacy = make_department(session, "Pharmacy")
    response = board_client.get(f"/board?state=evaluated&department={pharmacy.id}&owner={owner.id}"
                                "&age=overdue&sort=supporters")
    page = response.get_data(as_text=True)
    assert "<html" in page and "<h1>Triage queue</h1>" in page and 'id="board-list"' in page
    assert "HX-Request" in response.vary and "HX-Push-Url" not in response.headers
    assert "hx-swap-oob" not in page
    for selected in ('value="evaluated" selected', f'value="{pharmacy.id}" selected', f'value="{owner.id}" selected',
                     'value="overdue" selected', 'value="supporters" selected'):
        assert selected in page
    assert 'value="none" selected' in page_of(board_client, "/board?owner=none")


def test_going_back_in_history_gets_the_whole_page(board_client):
    headers = {**HTMX, "HX-History-Restore-Request": "true"}
    assert "<html" in page_of(board_client, "/board?state=retired", headers=headers)


def test_values_that_cannot_be_read_are_ignored_and_named(board_client, session):
    make_nomination(session, title="Still listed")
    page = page_of(board_client, "/board?state=nonsense&owner=abc&age=ancient&sort=newest&page=-4")
    assert [row["Title"] for row in rows(page)] == ["Still listed"]
    assert "We ignored what we could not read in the address: state, owner, age, sort." in page


def test_a_page_past_the_end_says_so_and_leads_back(board_client, session):
    make_nomination(session, title="Only one")
    page = page_of(board_client, "/board?state=proposed&page=7")
    assert "No nominations on page 7." in page
    assert 'href="/board?state=proposed"' in page


def test_an_empty_match_says_so(board_client, session):
    make_nomination(session, title="Proposed burden")
    page = page_of(board_client, "/board?state=retired")
    assert page.count("No nominations match.") == 1 and "<table" not in page
    assert page.count("the open queue</a>") == 1


@pytest.mark.parametrize("roles", [(Role.STAFF,), (Role.EXECUTIVE,), (Role.ADMIN,), (Role.ADMIN, Role.STAFF)])
def test_people_without_the_board_role_are_refused(client, session, roles):
    sign_in(client, make_user(session, *roles, can_sign_in=True).email)
    assert client.get("/board").status_code == 403
    assert client.get("/board?state=retired", headers=HTMX).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/board?state=retired")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_titles_and_owner_names_are_escaped(board_client, session):
    owner = make_user(session, Role.STAFF, Role.BOARD, name="<b>Bold</b> owner")
    make_nomination(session, title="<script>alert(1)</script> twice", owner_id=owner.id)
    page = page_of(board_client, "/board")
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; twice" in page
    assert "<b>Bold</b>" not in page and "&lt;b&gt;Bold&lt;/b&gt; owner" in page


def test_the_number_of_queries_does_not_grow_with_the_rows(board_client, session, app):
    owner = make_user(session, Role.STAFF, Role.BOARD)

    add_supporters(session, make_nomination(session, owner_id=owner.id), 1)
    few = statements_for(app, board_client, "/board?sort=supporters&state=all")
    for number in range(8):
        add_supporters(session, make_nomination(session, owner_id=owner.id if number % 2 else None,
                                                submitted_on=days_ago(number * 10)), 2)
    assert statements_for(app, board_client, "/board?sort=supporters&state=all") == few


def test_the_queue_leaves_as_a_workbook_with_owners_and_days_waiting(board_client, session):
    owner = make_user(session, Role.BOARD, name="Dr. Alex Chen")
    make_nomination(session, title="Owned and waiting", owner_id=owner.id, submitted_on=date.today() - timedelta(40))
    make_nomination(session, title="Retired long ago", state=State.RETIRED)
    with board_client.get("/board.xlsx") as response:
        assert response.status_code == 200 and "board-queue-" in response.headers["Content-Disposition"]
        sheet = openpyxl.load_workbook(io.BytesIO(response.get_data()))["Board queue"]
    header, *rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert header[-4:] == ["Owner", "Days waiting", "Due", "Overdue"]
    assert [row[1] for row in rows[:-1]] == ["Owned and waiting"], "the open queue, as the page shows it"
    assert rows[-1][0] == "Total"
    assert rows[0][-4:] == ["Dr. Alex Chen", 40, None, "overdue"]


def test_assigned_to_me_shows_only_what_the_board_member_owns(client, session):
    me = make_user(session, Role.STAFF, Role.BOARD, can_sign_in=True)
    colleague = make_user(session, Role.BOARD)
    make_nomination(session, title="Mine to evaluate", owner_id=me.id)
    make_nomination(session, title="A colleague's", owner_id=colleague.id)
    sign_in(client, me.email)
    queue = page_of(client, "/board")
    assert f'<a href="/board?owner={me.id}">Assigned to me</a>' in queue
    mine = page_of(client, f"/board?owner={me.id}")
    assert "Mine to evaluate" in mine and "A colleague&#39;s" not in mine
    assert f'<a href="/board?owner={me.id}" aria-current="page">Assigned to me</a>' in mine


def test_overdue_counts_from_the_due_day_or_else_from_the_last_move(board_client, session):
    make_nomination(session, title="New but past its due day", submitted_on=days_ago(3), due_on=days_ago(1))
    make_nomination(session, title="Old but due next week", submitted_on=days_ago(90), due_on=days_ago(-7))
    make_nomination(session, title="Old but moved last week", state=State.EVALUATED, submitted_on=days_ago(90),
                    moved_on=days_ago(7))
    make_nomination(session, title="Moved long ago", state=State.EVALUATED, submitted_on=days_ago(90),
                    moved_on=days_ago(31))
    found = {row["Title"]: row for row in rows(page_of(board_client, "/board"))}
    assert {title: row["overdue"] for title, row in found.items()} == {
        "New but past its due day": True, "Old but due next week": False, "Old but moved last week": False,
        "Moved long ago": True}
    assert found["Old but due next week"]["Age"] == f"waiting 90 days due {days_ago(-7).isoformat()}"
    assert sorted(titles(board_client, "/board?age=overdue")) == ["Moved long ago", "New but past its due day"]
    assert counts(page_of(board_client, "/board"))["Open"] == (4, 2)


def _schedule(client, **fields):
    page = page_of(client, "/board?state=all")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    return client.post("/board/schedule", data={"csrf_token": token, **fields})


def test_the_board_gives_ticked_nominations_an_owner_and_is_told_which_it_could_not(board_client, session):
    owner = make_user(session, Role.BOARD, name="Linda Okoro")
    open_one = make_nomination(session, title="Pain score charted twice")
    retired = make_nomination(session, title="Fax the summary", state=State.RETIRED, retired_on=days_ago(5))
    answer = _schedule(board_client, chosen=[str(open_one.id), str(retired.id)], action="owner",
                       new_owner=str(owner.id), state="all", sort="age")
    assert answer.status_code == 303 and answer.location == "/board?state=all&sort=age"
    page = page_of(board_client, answer.location)
    assert "Changed 1 nomination." in page
    assert (f"Not changed: #{retired.id} “Fax the summary”, because it is retired: it gets an owner only while it "
            "waits for the board.") in page
    assert {row["Title"]: row["Owner"] for row in rows(page)} == {
        "Pain score charted twice": "Linda Okoro", "Fax the summary": "Unassigned"}


def test_a_schedule_that_cannot_be_read_is_answered_beside_the_form_and_changes_nothing(board_client, session):
    nomination = make_nomination(session, title="Pain score charted twice")
    for fields, reason in [
        ({"action": "owner", "new_owner": "none"}, "Tick the nominations to change first."),
        ({"chosen": [str(nomination.id)], "action": "owner"}, "Choose the owner to give them, or “Nobody”."),
        ({"chosen": [str(nomination.id)], "action": "due", "due_on": days_ago(1).isoformat()},
         "A due day is today or later."),
        ({"chosen": ["99999999999"], "action": "due"}, "Tick nominations from the list."),
    ]:
        answer = _schedule(board_client, **fields)
        assert answer.status_code == 422, fields
        assert f'<p class="field-error" role="alert" id="schedule-error">{reason}</p>' in \
            answer.get_data(as_text=True).replace("&#34;", '"').replace("&#8220;", "“"), fields
    assert session.get(Nomination, nomination.id).owner_id is None


def test_a_refused_schedule_comes_back_as_it_was_sent(board_client, session):
    owner = make_user(session, Role.BOARD, name="Linda Okoro")
    ticked, other = make_nomination(session, title="Ticked one"), make_nomination(session, title="Left alone")
    answer = _schedule(board_client, chosen=[str(ticked.id)], action="due", due_on=days_ago(2).isoformat(),
                       new_owner=str(owner.id))
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert re.search(rf'value="{ticked.id}" form="schedule-form"[^>]*checked>', page)
    assert not re.search(rf'value="{other.id}" form="schedule-form"[^>]*checked>', page)
    assert f'<option value="{owner.id}" selected>Linda Okoro</option>' in page
    assert f'value="{days_ago(2).isoformat()}"' in page


def test_after_a_schedule_the_board_is_back_on_the_page_it_was_on(board_client, session):
    first = [make_nomination(session, title=f"Burden {number}") for number in range(60)][0]
    answer = _schedule(board_client, chosen=[str(first.id)], action="owner", new_owner="none", page="2")
    assert answer.status_code == 303 and answer.location == "/board?page=2"


def test_a_board_member_limited_to_a_site_sees_only_its_nominations_and_may_narrow_to_one(client, session):
    queens, kapiolani, kona = (make_site(session, name) for name in ("Queen's", "Kapiʻolani", "Kona"))
    for site, title in ((queens, "Sepsis alert fires twice"), (kapiolani, "Feeding log charted twice"),
                        (kona, "Fax cover sheet")):
        make_nomination(session, title=title, department_id=make_department(session, f"{title} ward", site=site).id)
    member = make_user(session, Role.BOARD, can_sign_in=True)
    limit_to_sites(session, member, queens, kapiolani)
    sign_in(client, member.email)
    assert sorted(titles(client, "/board")) == ["Feeding log charted twice", "Sepsis alert fires twice"]
    assert counts(page_of(client, "/board"))["Open"] == (2, 2)
    assert titles(client, f"/board?site={queens.id}") == ["Sepsis alert fires twice"]
    page = page_of(client, f"/board?site={kona.id}")  # not theirs: ignored, and the queue stays theirs
    assert "We ignored what we could not read in the address: site." in page
    assert sorted(row["Title"] for row in rows(page)) == ["Feeding log charted twice", "Sepsis alert fires twice"]
    assert ">Any of yours</option>" in page and "Kona</option>" not in page


def test_a_board_member_of_every_site_may_narrow_the_queue_to_one(board_client, session):
    kona = make_site(session, "Kona")
    make_nomination(session, title="Fax cover sheet", department_id=make_department(session, "Kona ED", site=kona).id)
    make_nomination(session, title="Sepsis alert fires twice")
    assert sorted(titles(board_client, "/board")) == ["Fax cover sheet", "Sepsis alert fires twice"]
    assert titles(board_client, f"/board?site={kona.id}") == ["Fax cover sheet"]
    with board_client.get(f"/board.xlsx?site={kona.id}") as response:
        workbook = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    assert ("Site", "Kona") in [tuple(row[:2]) for row in workbook["About this list"].iter_rows(values_only=True)]
