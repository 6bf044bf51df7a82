"""One site's dashboard, /dashboard?quarter=2026-Q3&site=ID: its own figures, departments, pipeline and workbook, live,
kept or as closed; the sites add up to the health system; an address naming no site of ours answers 404."""

import re
from html import unescape

import pytest
from sqlalchemy import update

from burden_tracker.enums import Role
from burden_tracker.hours import Quarter
from burden_tracker.models import QuarterClosing, Site
from burden_tracker.queries import kept_figures, quarter_report, reporting
from burden_tracker.queries.reference import organization_today
from burden_tracker.services.closing import close_quarter
from burden_tracker.services.keeping import keep_current_quarters
from burden_tracker.services.revisions import revise_nomination
from tests.support.factories import as_it_stands, make_user
from tests.support.reporting_data import build_program, cardiology_moved_to
from tests.support.web import HTMX, sign_in

Q3 = Quarter(2026, 3)
_COUNT_TILE = re.compile(r"<dt>([^<]+)</dt><dd>([\d,]+)</dd>")
_TAG = re.compile(r"<[^>]+>")


def text_of(html: str) -> str:
    return unescape(" ".join(_TAG.sub(" ", html).split()))


@pytest.fixture
def sites(session):
    """The reporting program, its Cardiology moved to a second site: (program, the main site's id, Queen's id)."""
    program = build_program(session)
    return program, *cardiology_moved_to(session, program, "Queen's Medical Center")


@pytest.fixture
def reader(client, session, sites):
    sign_in(client, make_user(session, Role.EXECUTIVE, can_sign_in=True).email)
    return client


def page_of(client, address: str, headers=None) -> str:
    response = client.get(address, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)[:400]
    return response.get_data(as_text=True)


def counts_of(page: str) -> dict[str, int]:
    return {label: int(value.replace(",", "")) for label, value in _COUNT_TILE.findall(page)}


def shown_counts(figures) -> dict[str, int]:
    return {"Received": figures.received, "Evaluated": figures.evaluated,
            "Decided to retire": figures.decided_to_retire, "Retired (effective)": figures.retired,
            "Rejected": figures.rejected, "Open at quarter end": figures.open_at_end}


@pytest.mark.parametrize("kept", [False, True], ids=["counted", "kept"])
def test_a_sites_dashboard_shows_its_own_figures_and_the_sites_add_up_to_the_health_system(
        reader, session, sites, kept):
    _, main, queens = sites
    if kept:
        keep_current_quarters(session=session, today=organization_today(session=session))
    assert (Q3 in kept_figures.current(session=session, quarters=[Q3])) == kept  # the path the page then reads
    session.rollback()
    whole = counts_of(page_of(reader, "/dashboard?quarter=2026-Q3"))
    per_site = {site: counts_of(page_of(reader, f"/dashboard?quarter=2026-Q3&site={site}")) for site in (main, queens)}

    for site, shown in per_site.items():
        assert shown == shown_counts(reporting.quarter_figures(session=session, quarter=Q3, site_id=site))
    assert per_site[queens] == {"Received": 1, "Evaluated": 0, "Decided to retire": 0, "Retired (effective)": 0,
                                "Rejected": 0, "Open at quarter end": 1}  # Cardiology's July nomination
    assert {label: per_site[main][label] + per_site[queens][label] for label in whole} == whole


def test_a_sites_page_is_named_after_it_lists_its_own_departments_and_links_its_own_workbook(reader, session, sites):
    _, main, queens = sites
    page = page_of(reader, f"/dashboard?quarter=2026-Q3&site={queens}")
    words = text_of(page)
    assert "Dashboard 2026-Q3 Queen's Medical Center" in text_of(re.search(r"<h1>(.*?)</h1>", page, re.S)[1])
    assert f'href="/reports/2026-Q3.xlsx?site={queens}"' in page
    departments = page.split('id="departments"', 1)[1].split("</table>", 1)[0]
    assert "Cardiology" in departments and "Emergency Department" not in departments
    assert 'id="by-site"' not in page  # one site: no breakdown by site
    assert "Retired mid-quarter" not in words  # the main site's largest win
    picker = page.split('id="dashboard-site"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r"<option value=\"(\d*)\"", picker) == ["", str(main), str(queens)]
    assert f'<option value="{queens}" selected>' in picker


def test_the_whole_health_system_is_shown_without_a_site_and_chosen_in_place(reader, sites):
    _, main, queens = sites
    page = page_of(reader, "/dashboard?quarter=2026-Q3")
    assert '<option value="" selected>Whole health system</option>' in page
    response = reader.get(f"/dashboard?quarter=2026-Q3&site={main}", headers=HTMX)
    assert response.status_code == 200
    assert response.headers["HX-Push-Url"] == f"/dashboard?quarter=2026-Q3&site={main}"
    assert "<title>Dashboard 2026-Q3 · Main site · Burden Tracker</title>" in response.get_data(as_text=True)
    steps = page_of(reader, f"/dashboard?quarter=2026-Q3&site={queens}").split('class="quarter-steps"', 1)[1]
    assert f'href="/dashboard?quarter=2026-Q2&amp;site={queens}"' in steps


def test_a_health_system_of_one_site_offers_no_site_to_choose(client, session):
    build_program(session)
    sign_in(client, make_user(session, Role.EXECUTIVE, can_sign_in=True).email)
    assert 'id="dashboard-site"' not in page_of(client, "/dashboard?quarter=2026-Q3")


@pytest.mark.parametrize("asked", ["99999", "abc", "-1", "1.5", "x" * 500])
def test_a_site_we_do_not_hold_answers_404_saying_so_and_shows_no_figures(reader, asked):
    response = reader.get(f"/dashboard?quarter=2026-Q3&site={asked}")
    assert response.status_code == 404
    words = text_of(response.get_data(as_text=True))
    assert "There is no such site" in words and "is not one of the health system's sites" in words
    assert "Open at quarter end" not in words and "x" * 41 not in words


def test_a_closed_quarter_shows_each_site_as_it_was_closed_with_its_own_restatements(reader, session, sites):
    program, main, queens = sites
    admin = make_user(session, Role.ADMIN)
    live = {site: quarter_report.live_report(session=session, quarter=Q3, site_id=site) for site in (main, queens)}
    close_quarter(session=session, quarter=Q3, actor_id=admin.id, closed_by="Ada Admin")
    as_closed = {site: counts_of(page_of(reader, f"/dashboard?quarter=2026-Q3&site={site}")) for site in (main, queens)}
    for site in (main, queens):  # stored as they stood, and adding up to the health system's as closed
        stored = quarter_report.report_for(session=session, quarter=Q3, site_id=site)
        assert (stored.history, stored.breakdowns, stored.pipeline, stored.wins) == (
            live[site].history, live[site].breakdowns, live[site].pipeline, live[site].wins)
        assert as_closed[site] == shown_counts(stored.figures)
    whole = quarter_report.report_for(session=session, quarter=Q3).figures
    assert {label: as_closed[main][label] + as_closed[queens][label] for label in as_closed[main]} == (
        shown_counts(whole))
    board = make_user(session, Role.STAFF, Role.BOARD)
    proposed = session.get(type(program.proposed), program.proposed.id)
    revise_nomination(session=session, nomination_id=proposed.id, actor=board, expected_version=proposed.version,
                      values=as_it_stands(proposed, clinicians_affected=500))  # Queen's: potential hours restated

    for site in (main, queens):
        page = page_of(reader, f"/dashboard?quarter=2026-Q3&site={site}")
        assert counts_of(page) == as_closed[site]
        assert "Closed on" in text_of(page) and "Yes, close" not in page and "Reopen 2026-Q3" not in page
    later = {site: text_of(page_of(reader, f"/dashboard?quarter=2026-Q4&site={site}")) for site in (main, queens)}
    assert "Proposed in July" in later[queens] and "Proposed in July" not in later[main]


def test_a_quarter_closed_before_sites_were_kept_apart_says_so_and_keeps_the_whole_systems_figures(
        reader, session, sites):
    _, main, queens = sites
    closing = close_quarter(session=session, quarter=Q3, actor_id=make_user(session, Role.ADMIN).id, closed_by="Ada")
    # as a quarter closed before this release stored it
    session.execute(update(QuarterClosing).where(QuarterClosing.id == closing.id).values(site_reports=None))
    session.commit()

    page = page_of(reader, f"/dashboard?quarter=2026-Q3&site={queens}")
    words = text_of(page)
    assert "2026-Q3 was closed before each site's figures were kept with it" in words
    assert "Open at quarter end" not in words and ".xlsx" not in page
    assert "Closed on" in text_of(page_of(reader, "/dashboard?quarter=2026-Q3"))
    workbook = reader.get(f"/reports/2026-Q3.xlsx?site={queens}")
    assert workbook.status_code == 404
    assert "reopens the quarter and closes it again" in text_of(workbook.get_data(as_text=True))
    q4 = counts_of(page_of(reader, f"/dashboard?quarter=2026-Q4&site={main}"))  # later quarters count Q3 live
    figures = shown_counts(reporting.quarter_figures(session=session, quarter=Q3.next(), site_id=main))
    assert list(q4.values()) == list(figures.values())  # the quarter under way says "Open now"


def test_a_site_added_after_a_quarter_was_closed_is_told_so(reader, session, sites):
    close_quarter(session=session, quarter=Q3, actor_id=make_user(session, Role.ADMIN).id, closed_by="Ada")
    kona = Site(name="Kona Community Hospital")
    session.add(kona)
    session.commit()
    words = text_of(page_of(reader, f"/dashboard?quarter=2026-Q3&site={kona.id}"))
    assert "This site was added after 2026-Q3 was closed: its figures were kept for the sites there were then" in words
    assert "reopens" not in words and "Open at quarter end" not in words
