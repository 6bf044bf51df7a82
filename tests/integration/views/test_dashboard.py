"""The dashboard at /dashboard?quarter=2026-Q3: who may read it, which quarter it shows, and that every number on
it is the reports' own (queries/reporting.py), written with separators."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from burden_tracker.enums import EventKind, Outcome, Role, State
from burden_tracker.hours import Quarter, annual_hours, today_in, weekly_hours
from burden_tracker.models import Event, Site
from burden_tracker.queries import executive, kept_figures, reporting
from burden_tracker.queries.reference import organization_today
from burden_tracker.services.keeping import keep_current_quarters
from tests.support.factories import make_department, make_nomination, make_user, retire_through_the_board
from tests.support.reporting_data import build_program
from tests.support.web import HTMX, sign_in

Q3 = Quarter(2026, 3)
_COUNT_TILE = re.compile(r"<dt>([^<]+)</dt><dd>([\d,]+)</dd>")
_HOURS_TILE = re.compile(r"<dt>([^<]+)</dt>\s*<dd><strong>([\d,.]+)</strong>")
_TAG = re.compile(r"<[^>]+>")


@pytest.fixture
def reader(client, session):
    """The client, signed in as an executive."""
    sign_in(client, make_user(session, Role.EXECUTIVE, can_sign_in=True).email)
    return client


def page_of(client, address: str, headers=None) -> str:
    response = client.get(address, headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def text_of(html: str) -> str:
    """The words of the page as a person reads them: tags gone, spaces collapsed."""
    return " ".join(_TAG.sub(" ", html).split())


def whole(value: float) -> str:
    """How the dashboard writes money (after the $) and hours of 10 or more."""
    return f"{value:,.0f}"


def hours(value: float) -> str:
    """How the dashboard writes hours: whole when 10 or more (or none), else to a tenth."""
    return whole(value) if value >= 10 or value == 0 else f"{value:,.1f}"


def rows_of(page: str, opening: str) -> dict[str, list[str]]:
    """The body rows of the table that starts with `opening`: {first cell's text: the other cells' texts}."""
    body = page.split(opening, 1)[1].split("</table>", 1)[0].split("<tbody>", 1)[1]
    rows = ([text_of(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S))
    return {cells[0]: cells[1:] for cells in rows}


def heading(html: str) -> str:
    return text_of(re.search(r"<h1>(.*?)</h1>", html, re.S)[1])


def moved(session, nomination, to_state: State, at: datetime, from_state: State = State.PROPOSED) -> None:
    session.add(Event(nomination_id=nomination.id, kind=EventKind.MOVED, from_state=from_state, to_state=to_state,
                      at=at))
    session.commit()


@pytest.mark.parametrize("role,status", [(Role.STAFF, 403), (Role.BOARD, 200), (Role.EXECUTIVE, 200),
                                         (Role.ADMIN, 200)])
def test_only_the_board_executives_and_admins_may_read_the_dashboard(client, session, role, status):
    sign_in(client, make_user(session, role, can_sign_in=True).email)
    assert client.get("/dashboard?quarter=2026-Q3").status_code == status


def test_the_headline_shows_the_quarters_figures_as_the_reporting_service_counts_them(reader, session):
    make_nomination(session, state=State.RETIRED, submitted_on=date(2026, 7, 6), retired_on=date(2026, 8, 1))
    make_nomination(session, state=State.RETIRED, submitted_on=date(2025, 11, 3), retired_on=date(2026, 2, 1),
                    clinicians_affected=1_500)
    for day in (date(2026, 7, 1), date(2026, 9, 30)):
        make_nomination(session, submitted_on=day, clinicians_affected=3_000)
    make_nomination(session, submitted_on=date(2026, 10, 1))
    figures = reporting.quarter_figures(session=session, quarter=Q3)
    assert (figures.received, figures.retired, figures.retired_by_end, figures.open_at_end) == (3, 1, 2, 2)

    page = page_of(reader, "/dashboard?quarter=2026-Q3")
    counts = dict(_COUNT_TILE.findall(page))
    assert counts == {"Received": "3", "Evaluated": "0", "Decided to retire": "0", "Retired (effective)": "1",
                      "Rejected": "0", "Open at quarter end": "2"}
    hours = dict(_HOURS_TILE.findall(page))
    assert hours == {"Hours realized in the quarter": whole(figures.realized_hours),
                     "Hours a year given back": whole(figures.annualized_hours),
                     "Potential hours a year": whole(figures.potential_hours)}
    words = text_of(page)
    assert f"worth ${whole(figures.realized_cost)}" in words
    assert f"{figures.annualized_fte:,.1f} FTE, worth ${whole(figures.annualized_cost)} a year" in words
    assert f"{figures.potential_fte:,.1f} FTE, worth ${whole(figures.potential_cost)} a year" in words
    assert "from 2 burdens retired by 30 September 2026" in words
    assert (f"Burdens retired by 30 September 2026 give back {whole(figures.annualized_hours)} hours a year; the "
            f"nominations open at quarter end could give back {whole(figures.potential_hours)} hours a year more."
            in words)


def test_evaluated_and_rejected_count_the_board_decisions_made_during_the_quarter(reader, session):
    evaluated = make_nomination(session, state=State.EVALUATED)
    moved(session, evaluated, State.EVALUATED, datetime(2026, 8, 3, 9, tzinfo=UTC))
    rejected = make_nomination(session, state=State.REJECTED)
    moved(session, rejected, State.EVALUATED, datetime(2026, 7, 2, 9, tzinfo=UTC))
    moved(session, rejected, State.REJECTED, datetime(2026, 9, 30, 23, 59, tzinfo=UTC), from_state=State.EVALUATED)
    earlier = make_nomination(session, state=State.REJECTED)
    moved(session, earlier, State.REJECTED, datetime(2026, 6, 30, 23, 59, tzinfo=UTC))
    figures = reporting.quarter_figures(session=session, quarter=Q3)

    counts = dict(_COUNT_TILE.findall(page_of(reader, "/dashboard?quarter=2026-Q3")))
    assert (counts["Evaluated"], counts["Rejected"]) == (str(figures.evaluated), str(figures.rejected)) == ("2", "1")
    assert counts["Open at quarter end"] == str(figures.open_at_end) == "1"


def test_without_a_quarter_the_dashboard_shows_the_current_one(reader, session):
    current = reporting.current_quarter(session=session)
    page = page_of(reader, "/dashboard")
    assert heading(page) == f"Dashboard {current}"
    assert f"<title>Dashboard {current} · Burden Tracker</title>" in page
    assert f'<option value="{current}" selected>' in page
    assert "under way" in page
    assert "We ignored" not in page


@pytest.mark.parametrize("asked,why", [("2026-Q9", "a year has four, Q1 to Q4"),
                                       ("garbage", "write it like 2026-Q3"), ("2026-Q3x", "write it like 2026-Q3"),
                                       ("<script>alert(1)</script>", "write it like 2026-Q3")])
def test_a_quarter_it_cannot_read_answers_404_with_why_and_no_quarters_figures(reader, session, asked, why):
    current = reporting.current_quarter(session=session)
    response = reader.get("/dashboard", query_string={"quarter": asked})
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    escaped = asked.replace("<", "&lt;").replace(">", "&gt;")
    assert heading(page) == "There is no such quarter"
    assert f"“{escaped}” is not a quarter: {why}. The dashboard without a quarter shows the current one, {current}." \
        in text_of(page)
    assert "<script>alert" not in page and "at a glance" not in page


def test_a_very_long_unreadable_quarter_is_named_cut_short(reader):
    response = reader.get("/dashboard?quarter=" + "x" * 5_000)
    page = response.get_data(as_text=True)
    assert response.status_code == 404 and "“" + "x" * 40 + "…”" in page and "x" * 41 not in page


def test_a_fiscal_quarter_is_named_fy_with_its_months_and_its_address_keeps_the_short_form(reader, session):
    build_program(session, fiscal_year_start_month=7)
    for asked in ("2027-Q1", "FY2027-Q1"):
        page = page_of(reader, f"/dashboard?quarter={asked}")
        assert heading(page) == "Dashboard FY2027-Q1" and "July–September 2026" in page
        assert '<option value="2027-Q1" selected>FY2027-Q1 · Jul–Sep 2026' in page
        assert 'href="/reports/2027-Q1.xlsx"' in page and 'href="/dashboard?quarter=2026-Q4"' in page
    with reader.get("/reports/FY2027-Q1.xlsx") as download:
        assert download.status_code == 200
        assert "filename=burden-tracker-FY2027-Q1.xlsx" in download.headers["Content-Disposition"]
    pushed = reader.get("/dashboard?quarter=FY2027-Q1", headers=HTMX).headers["HX-Push-Url"]
    assert pushed == "/dashboard?quarter=2027-Q1"


def test_an_htmx_request_gets_only_the_dashboard_and_the_address_to_show(reader):
    response = reader.get("/dashboard?quarter=2026-Q2", headers=HTMX)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in page and "<nav aria-label=\"Main\">" not in page
    assert page.lstrip().startswith("<title>Dashboard 2026-Q2 · Burden Tracker</title>")
    assert '<div id="dashboard-body"' in page
    assert heading(page) == "Dashboard 2026-Q2"
    assert response.headers["HX-Push-Url"] == "/dashboard?quarter=2026-Q2"
    assert "HX-Request" in response.headers["Vary"]

    whole_page = reader.get("/dashboard?quarter=2026-Q2")
    assert "<html" in whole_page.get_data(as_text=True)
    assert "HX-Push-Url" not in whole_page.headers


def test_the_picker_offers_recent_quarters_the_chosen_one_and_its_neighbours(reader, session):
    current = reporting.current_quarter(session=session)
    page = page_of(reader, "/dashboard?quarter=2019-Q1")
    offered = re.findall(r'<option value="([^"]+)"', page)
    assert offered == [str(q) for q in reversed(current.last(12))] + ["2019-Q1"]
    assert '<option value="2019-Q1" selected>2019-Q1 · Jan–Mar 2019</option>' in page
    assert re.search(r'<form method="get" action="/dashboard"[^>]*hx-get="/dashboard"', page)
    assert '<noscript><button type="submit" class="secondary">Show</button></noscript>' in page
    assert 'href="/dashboard?quarter=2018-Q4" hx-get="/dashboard?quarter=2018-Q4" rel="prev"' in page
    assert 'href="/dashboard?quarter=2019-Q2" hx-get="/dashboard?quarter=2019-Q2" rel="next"' in page

    latest = page_of(reader, f"/dashboard?quarter={current}")
    assert 'rel="next"' not in latest, "no quarter after the current one is offered"


def test_the_page_links_the_chosen_quarters_workbook(reader):
    page = page_of(reader, "/dashboard?quarter=2026-Q3")
    assert '<a href="/reports/2026-Q3.xlsx">Download the workbook (.xlsx)</a>' in page


def test_the_charts_show_the_last_eight_quarters_with_their_numbers_in_tables(reader, session):
    for retired_on in (date(2025, 1, 15), date(2025, 12, 1), date(2026, 8, 1)):
        make_nomination(session, state=State.RETIRED, submitted_on=retired_on, retired_on=retired_on)
    history = reporting.history(session=session, quarter=Q3)
    page = page_of(reader, "/dashboard?quarter=2026-Q3")

    charts = re.findall(r'<svg class="chart bar-chart" viewBox="0 0 400 220" role="img"\s+'
                        r'aria-labelledby="([^"]+)" aria-describedby="([^"]+)"', page)
    assert charts == [("realized-chart-title", "realized-chart-desc"), ("counts-chart-title", "counts-chart-desc")]
    assert "<title id=\"realized-chart-title\">Hours realized per quarter, 2024-Q4 to 2026-Q3</title>" in page
    realized = ", ".join(f"{quarter} {hours(f.realized_hours)}" for quarter, f in history)
    assert f'<desc id="realized-chart-desc">Hours realized: {realized}. </desc>' in page
    tables = page.split("<summary>Show the numbers</summary>")[1:]
    assert len(tables) == 2
    assert rows_of(tables[0], "<table>") == {str(q): [hours(f.realized_hours)] for q, f in history}
    assert rows_of(tables[1], "<table>") == {str(q): [str(f.received), str(f.retired)] for q, f in history}
    assert [f.retired for _q, f in history] == [0, 1, 0, 0, 1, 0, 0, 1]


def test_each_department_and_category_shows_its_own_figures(reader, session):
    pharmacy, surgery = make_department(session, "Pharmacy"), make_department(session, "Surgery")
    make_nomination(session, state=State.RETIRED, department_id=pharmacy.id, retired_on=date(2026, 7, 20))
    make_nomination(session, state=State.RETIRED, department_id=pharmacy.id, retired_on=date(2026, 1, 20),
                    clinicians_affected=900)
    make_nomination(session, department_id=surgery.id, clinicians_affected=1_200)
    page = page_of(reader, "/dashboard?quarter=2026-Q3")

    for table, by in (("departments", "department"), ("categories", "category")):
        shown = rows_of(page, f'<table class="breakdown" id="{table}">')
        groups = reporting.breakdown(session=session, quarter=Q3, by=by)
        assert shown == {group.label: [str(group.figures.retired), hours(group.figures.realized_hours),
                                       hours(group.figures.annualized_hours), hours(group.figures.potential_hours)]
                         for group in groups}
    departments = rows_of(page, '<table class="breakdown" id="departments">')
    assert departments["Pharmacy"][0] == "1" and departments["Surgery"][0] == "0"
    assert departments["Surgery"][3] == whole(2_760 * 6)


def test_a_health_system_of_several_sites_is_broken_down_by_site_and_one_of_a_single_site_is_not(reader, session):
    make_nomination(session, state=State.RETIRED, retired_on=date(2026, 7, 20))
    assert 'id="by-site"' not in page_of(reader, "/dashboard?quarter=2026-Q3")
    kuakini = Site(name="Kuakini Medical Center")
    session.add(kuakini)
    session.commit()
    clinic = make_department(session, "Kapolei clinic")
    clinic.site_id = kuakini.id
    session.commit()
    make_nomination(session, state=State.RETIRED, retired_on=date(2026, 8, 3), department_id=clinic.id,
                    clinicians_affected=900)
    shown = rows_of(page_of(reader, "/dashboard?quarter=2026-Q3"), '<table class="breakdown" id="sites">')
    groups = {g.label: g.figures for g in reporting.breakdown(session=session, quarter=Q3, by="site")}
    assert shown == {label: [str(f.retired), hours(f.realized_hours), hours(f.annualized_hours),
                             hours(f.potential_hours)] for label, f in groups.items()}
    assert (shown["Main site"][0], shown["Kuakini Medical Center"][0]) == ("1", "1")


def test_retirements_are_shown_by_how_they_were_resolved_without_the_pipeline(reader, session):
    make_nomination(session, state=State.RETIRED, retired_on=date(2026, 7, 20), outcome=Outcome.REDUCED)
    make_nomination(session, state=State.RETIRED, retired_on=date(2026, 1, 20), clinicians_affected=900)
    make_nomination(session, clinicians_affected=1_200)  # open: in no outcome's row
    page = page_of(reader, "/dashboard?quarter=2026-Q3")
    shown = rows_of(page, '<table class="breakdown" id="outcomes">')
    groups = {g.label: g.figures for g in reporting.breakdown(session=session, quarter=Q3, by="outcome")}
    assert shown == {label: [str(groups[label].retired), hours(groups[label].realized_hours),
                             hours(groups[label].annualized_hours)] for label in ("not recorded", "reduced")}
    assert shown["reduced"][0] == "1" and shown["not recorded"][0] == "0"  # retired in an earlier quarter


def test_the_pipeline_shows_what_was_open_at_quarter_end_by_state_with_ages(reader, session):
    make_nomination(session, submitted_on=date(2026, 6, 1))
    make_nomination(session, submitted_on=date(2026, 9, 20))
    make_nomination(session, state=State.EVALUATED, submitted_on=date(2026, 3, 2))
    make_nomination(session, submitted_on=date(2026, 10, 2))
    pipeline = {row.state: row for row in reporting.pipeline_by_state(session=session, quarter=Q3)}
    assert (pipeline[State.PROPOSED].nominations, pipeline[State.EVALUATED].nominations) == (2, 1)

    page = page_of(reader, "/dashboard?quarter=2026-Q3")
    rows = rows_of(page, '<table class="pipeline stack-on-phone">')
    proposed, evaluated = pipeline[State.PROPOSED], pipeline[State.EVALUATED]
    assert rows["proposed"] == ["2", whole(proposed.potential_hours), "66 days", "121 days", "1 of 2"]
    assert rows["evaluated"] == ["1", whole(evaluated.potential_hours), "212 days", "212 days", "1 of 1"]
    assert proposed.overdue == 1 and proposed.oldest_age_days == 121
    assert "The pipeline at quarter end" in page


def test_names_people_typed_are_escaped(reader, session):
    ward = make_department(session, "<script>alert('ward')</script> Ward")
    make_nomination(session, department_id=ward.id, state=State.RETIRED, retired_on=date(2026, 8, 1))
    page = page_of(reader, "/dashboard?quarter=2026-Q3")
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;ward&#39;)&lt;/script&gt; Ward" in page


def test_the_quarter_under_way_shows_hours_realized_to_date_and_projected_to_its_end(reader, session):
    today = today_in("UTC")  # the organization's clocks, by default
    current = Quarter.containing(today)
    make_nomination(session, state=State.RETIRED, submitted_on=current.first_day - timedelta(days=10),
                    retired_on=current.first_day, minutes_per_occurrence=10, occurrences_per_week=10,
                    clinicians_affected=100)
    annual = annual_hours(weekly_hours(10, 10, 100), 46)
    page = page_of(reader, "/dashboard")
    tiles = dict(_HOURS_TILE.findall(page))
    assert tiles["Hours realized to date"] == hours(annual * (today - current.first_day).days / 365)
    assert tiles["Projected to the quarter’s end"] == hours(annual * current.days / 365)
    yesterday = today - timedelta(days=1)
    counted = f"through {yesterday.day} {yesterday:%B %Y}" if today > current.first_day else "the quarter began today"
    assert counted in text_of(page)


def test_a_quarter_that_has_not_begun_realizes_nothing_and_says_so(reader, session):
    upcoming = Quarter.containing(today_in("UTC")).next()
    make_nomination(session, state=State.RETIRED, submitted_on=date(2026, 1, 5), retired_on=date(2026, 1, 5))
    page = page_of(reader, f"/dashboard?quarter={upcoming.key}")
    tiles = dict(_HOURS_TILE.findall(page))
    assert tiles["Hours realized to date"] == "0" and tiles["Projected to the quarter’s end"] != "0"
    assert "has not begun: it realizes nothing yet" in text_of(page) and "none yet: the quarter has not begun" \
        in text_of(page)


def test_a_retirement_decided_now_and_effective_next_quarter_is_decided_here_and_retiring_soon(reader, session):
    """Decided on 20 September, effective 3 October: Q3 counts the decision, and lists it as retiring soon."""
    nomination = make_nomination(session, state=State.RETIRED, submitted_on=date(2026, 7, 6),
                                 retired_on=date(2026, 10, 3), clinicians_affected=1_000)
    session.add(Event(nomination_id=nomination.id, kind=EventKind.MOVED, from_state=State.EVALUATED,
                      to_state=State.RETIRED, at=datetime(2026, 9, 20, 15, tzinfo=UTC)))
    session.commit()
    page = page_of(reader, "/dashboard?quarter=2026-Q3")
    counts = dict(_COUNT_TILE.findall(page))
    assert (counts["Decided to retire"], counts["Retired (effective)"]) == ("1", "0")
    figures = reporting.quarter_figures(session=session, quarter=Q3)
    assert (f"Retiring soon: 1 retirement decided by 30 September 2026 takes effect after it, giving back "
            f"{hours(figures.retiring_soon_hours)} hours a year from then") in text_of(page)


def test_the_quarter_is_set_against_the_one_before_and_the_year_to_date_with_its_largest_wins(reader, session):
    program = build_program(session)
    page = page_of(reader, "/dashboard?quarter=2026-Q3")
    compared = rows_of(page, '<table class="compared')
    history = reporting.history(session=session, quarter=Q3)
    (_, q3), (_, q2) = history[-1], history[-2]
    year = executive.year_to_date(history)
    assert compared["Nominations received"] == [str(q3.received), str(q2.received),
                                                change_of(q3.received, q2.received), str(year.received)]
    assert compared["Hours realized"][0] == hours(q3.realized_hours)
    assert year.received == sum(f.received for q, f in history if q.fiscal_year == 2026)
    wins = re.findall(r'<li><a href="/nominations/(\d+)">', page.split('class="largest-wins"', 1)[1].split("</ol>")[0])
    largest = sorted((program.first_day, program.mid, program.last_day),
                     key=lambda n: -annual_hours(weekly_hours(*n.estimate), 46))
    assert [int(number) for number in wins] == [n.id for n in largest]
    assert "How to read these figures" in page and "not a cash saving" in page


def change_of(now: int, before: int) -> str:
    return "no change" if now == before else (f"+{now - before}" if now > before else f"−{before - now}")


def test_progress_against_the_annual_target_and_hours_by_basis_of_estimate(reader, session):
    from burden_tracker.models import Settings
    build_program(session)
    page = text_of(page_of(reader, "/dashboard?quarter=2026-Q3"))
    assert "No annual target of hours is set" in page
    settings = session.get(Settings, 1)
    settings.annual_target_hours = 10_000
    session.commit()
    history = reporting.history(session=session, quarter=Q3)
    year, q3 = executive.year_to_date(history), history[-1][1]
    page = text_of(page_of(reader, "/dashboard?quarter=2026-Q3"))
    share = f"{year.realized_hours / 10_000 * 100:.0f}%"
    reached = f"{hours(year.realized_hours)} of 10,000 hours realized in the fiscal year to date ({share})"
    assert f"Annual target: {reached}" in page
    basis = rows_of(page_of(reader, "/dashboard?quarter=2026-Q3"), '<table class="basis')
    assert basis["Retired by 30 September 2026"][:2] == [hours(q3.annualized_hours_board),
                                                          hours(q3.annualized_hours - q3.annualized_hours_board)]
    assert q3.annualized_hours_board > 0 and q3.potential_hours > q3.potential_hours_board > 0


def test_a_kept_quarter_shows_a_back_dated_retirement_as_soon_as_it_is_written(reader, session):
    program = build_program(session)
    keep_current_quarters(session=session, today=organization_today(session=session))
    counts = dict(_COUNT_TILE.findall(page_of(reader, "/dashboard?quarter=2026-Q3")))
    assert (counts["Retired (effective)"], counts["Decided to retire"]) == ("3", "3")

    retire_through_the_board(session, program.evaluated_late, date(2026, 8, 3))

    assert kept_figures.current(session=session, quarters=[Q3]) == {Q3}  # read from what is kept, not recounted
    counts = dict(_COUNT_TILE.findall(page_of(reader, "/dashboard?quarter=2026-Q3")))
    assert (counts["Retired (effective)"], counts["Decided to retire"]) == ("4", "3")
