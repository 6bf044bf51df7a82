"""The Wins page at /wins: every retired burden, what changed and the hours it gives back, newest first."""

import re
from datetime import date, timedelta

import pytest

from burden_tracker.enums import Outcome, Role, State
from tests.support.factories import make_nomination, make_user
from tests.support.web import HTMX, pager_links, sign_in

_TITLE = re.compile(r'<h2 id="win-\d+"><a href="/nominations/\d+">(.*?)</a></h2>')
PAST = date(2026, 3, 1)


def retire(session, title: str, retired_on: date = PAST, **overrides):
    return make_nomination(session, title=title, state=State.RETIRED, retired_on=retired_on, **overrides)


def wins_page(client, address: str = "/wins", headers=None) -> str:
    response = client.get(address, headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def titles(page: str) -> list[str]:
    return _TITLE.findall(page)


def test_only_retired_nominations_are_listed_newest_first(staff_client, session):
    retire(session, "Retired in January", date(2026, 1, 10))
    retire(session, "Retired in March", date(2026, 3, 20))
    retire(session, "Retired in February", date(2026, 2, 5))
    for state in (State.PROPOSED, State.EVALUATED, State.REJECTED, State.DUPLICATE, State.WITHDRAWN):
        make_nomination(session, title=f"Still {state.value}", state=state)
    session.commit()
    assert titles(wins_page(staff_client)) == ["Retired in March", "Retired in February", "Retired in January"]


def test_wins_retired_on_the_same_day_list_the_later_entry_first(staff_client, session):
    retire(session, "Entered first")
    retire(session, "Entered second")
    session.commit()
    assert titles(wins_page(staff_client)) == ["Entered second", "Entered first"]


def test_each_win_shows_where_when_what_changed_and_hours_a_year(staff_client, session):
    win = retire(session, "Duplicate fall-risk form", date(2026, 2, 14), minutes_per_occurrence=3,
                 occurrences_per_week=10, clinicians_affected=250,
                 what_changed="The form is gone.\nFall risk is charted once, in the flowsheet.")
    win_id = win.id
    session.commit()
    page = wins_page(staff_client)
    assert f'<a href="/nominations/{win_id}">Duplicate fall-risk form</a>' in page
    assert "Emergency Department · task" in page
    assert 'Retired on <time datetime="2026-02-14">2026-02-14</time>' in page
    assert "The form is gone.\nFall risk is charted once, in the flowsheet." in page
    assert 'class="pre-line"' in page
    # 3 minutes × 10 a week × 250 clinicians / 60 = 125 hours a week; × 46 working weeks = 5,750
    assert "Gives back about <strong>5,750</strong> hours a year" in page


def test_hours_a_year_use_the_boards_estimate(staff_client, session):
    retire(session, "Measured by the board", minutes_per_occurrence=3, occurrences_per_week=10,
           clinicians_affected=250, board_minutes_per_occurrence=2)
    session.commit()
    # 2 × 10 × 250 / 60 × 46 = 3,833.3
    assert "about <strong>3,833</strong> hours a year" in wins_page(staff_client)


def test_the_headline_counts_what_is_retired_by_today_with_its_hours_and_fte(staff_client, session):
    retire(session, "Five thousand", minutes_per_occurrence=3, occurrences_per_week=10, clinicians_affected=250)
    retire(session, "Three thousand", minutes_per_occurrence=2, occurrences_per_week=10, clinicians_affected=250)
    retire(session, "Takes effect next month", date.today() + timedelta(days=30), clinicians_affected=10_000)
    session.commit()
    page = wins_page(staff_client)
    assert "<strong>2</strong> burdens retired so far" in page
    assert "<strong>9,583</strong> hours a year given back" in page  # 5,750 + 3,833.3
    assert "<strong>4.6</strong>" in page  # 9,583.3 / 2,080 FTE hours
    assert "Retires on" in page  # listed, but not counted until its day comes


def test_user_text_is_escaped(staff_client, session):
    retire(session, "<script>alert('title')</script>", what_changed="<img src=x onerror=alert(1)>")
    session.commit()
    page = wins_page(staff_client)
    assert "<script>alert(" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_an_anonymous_submitter_is_never_named(staff_client, session):
    secret = make_user(session, name="Quiet Submitter", email="quiet.submitter@example.org")
    retire(session, "Anonymous win", submitter=secret, anonymous=True)
    session.commit()
    page = wins_page(staff_client)
    assert "Anonymous win" in page
    assert "Quiet Submitter" not in page and "quiet.submitter" not in page


def test_paging_walks_from_newer_to_older(staff_client, session, app):
    app.config["NOMINATIONS_PER_PAGE"] = 2
    for day in range(1, 6):
        retire(session, f"Retired on day {day}", date(2026, 3, day))
    session.commit()
    first = wins_page(staff_client)
    assert titles(first) == ["Retired on day 5", "Retired on day 4"]
    assert pager_links(first) == {"next": "/wins?page=2"}
    second = wins_page(staff_client, "/wins?page=2")
    assert titles(second) == ["Retired on day 3", "Retired on day 2"]
    assert pager_links(second) == {"prev": "/wins", "next": "/wins?page=3"}
    last = wins_page(staff_client, "/wins?page=3")
    assert titles(last) == ["Retired on day 1"]
    assert '<ol class="wins" start="5">' in last
    assert pager_links(last) == {"prev": "/wins?page=2"}


def test_a_page_past_the_end_offers_the_first_page(staff_client, session):
    retire(session, "The only win")
    session.commit()
    page = wins_page(staff_client, "/wins?page=9")
    assert titles(page) == [] and "Go to the first page" in page


def test_an_unreadable_page_number_shows_the_first_page(staff_client, session):
    retire(session, "The only win")
    session.commit()
    assert titles(wins_page(staff_client, "/wins?page=first")) == ["The only win"]


def test_an_htmx_request_gets_only_the_list(staff_client, session):
    retire(session, "Retired burden")
    session.commit()
    response = staff_client.get("/wins?page=1", headers=HTMX)
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "HX-Request" in response.vary
    assert "<html" not in fragment and "retired so far" not in fragment
    assert fragment.lstrip().startswith('<section id="win-list"') and "Retired burden" in fragment


def test_a_plain_request_gets_the_whole_page(staff_client, session):
    retire(session, "Retired burden")
    session.commit()
    response = staff_client.get("/wins")
    page = response.get_data(as_text=True)
    assert "<html" in page and "<h1>Wins</h1>" in page and 'id="win-list"' in page
    assert "HX-Request" in response.vary


def test_with_nothing_retired_staff_are_invited_to_nominate(staff_client, session):
    make_nomination(session, title="Still proposed")
    session.commit()
    page = wins_page(staff_client)
    assert "Nothing retired yet" in page and 'href="/nominations/new">Nominate a burden</a>' in page
    assert "retired so far" not in page and "Still proposed" not in page


def test_with_nothing_retired_an_executive_is_not_invited_to_nominate(client, session):
    sign_in(client, make_user(session, Role.EXECUTIVE, can_sign_in=True).email)
    page = wins_page(client)
    assert "Nothing retired yet" in page and "Nominate a burden" not in page


@pytest.mark.parametrize("role", [Role.STAFF, Role.BOARD, Role.EXECUTIVE, Role.ADMIN])
def test_every_role_sees_the_wins(client, session, role):
    retire(session, "A win for everyone")
    sign_in(client, make_user(session, role, can_sign_in=True).email)
    assert titles(wins_page(client)) == ["A win for everyone"]


def test_signing_in_comes_first(client, session):
    retire(session, "A win")
    session.commit()
    response = client.get("/wins")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_each_win_says_how_it_was_resolved_and_the_page_sums_hours_by_outcome(staff_client, session):
    for title, outcome, clinicians in (("Fax cover sheet", Outcome.REMOVED, 100), ("Pain row", Outcome.REMOVED, 300),
                                       ("Insulin co-sign", Outcome.RESTRICTED, 600), ("Old form", None, 50)):
        retire(session, title, outcome=outcome, minutes_per_occurrence=1, occurrences_per_week=12,
               clinicians_affected=clinicians)
    session.commit()
    page = wins_page(staff_client)
    assert page.count('<span class="outcome">Resolved: removed</span>') == 2
    assert '<span class="outcome">Resolved: restricted</span>' in page
    # 1 minute × 12 a week ÷ 60 × 46 working weeks: 9.2 hours a year for each clinician
    said = re.sub(r"<[^>]+>", "", re.search(r'<p class="wins-outcomes">(.*?)</p>', page, re.S)[1])
    assert " ".join(said.split()) == ("How they were resolved: restricted: 1 (5,520 hours a year); removed: 2 "
                                      "(3,680 hours a year); not recorded: 1 (460 hours a year).")


def test_the_outcomes_are_not_summed_while_none_was_recorded(staff_client, session):
    retire(session, "Retired before outcomes were asked")
    session.commit()
    assert "wins-outcomes" not in wins_page(staff_client)
