"""The import's optional `site` column, on both databases: a known department is named at its own site, a new
department is made at the site its rows name, an unknown site is made only with --create-missing, and a row naming
the wrong site imports nothing."""

import csv
from datetime import date
from pathlib import Path

from sqlalchemy import select

from burden_tracker.models import Department, Nomination, Site
from burden_tracker.queries.reference import first_site_id
from burden_tracker.services.importer import import_file
from tests.support.factories import make_department, make_site

TODAY = date(2026, 7, 15)
ROW = {"title": "Pain score charted in two flowsheet rows", "description": "The second row feeds no report.",
       "category": "task", "department": "Emergency Department", "affected_role": "nurse",
       "minutes_per_occurrence": "0.5", "occurrences_per_week": "36", "clinicians_affected": "200",
       "requirement_source": "internal policy"}


def sheet(tmp_path: Path, *rows: dict) -> Path:
    path = tmp_path / "nominations.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*ROW, "site"])
        writer.writeheader()
        writer.writerows({**ROW, **row} for row in rows)
    return path


def site_of_department(session, name: str) -> str | None:
    return session.scalar(select(Site.name).join(Department, Department.site_id == Site.id)
                          .where(Department.name == name))


def test_a_known_department_at_its_own_site_imports_whatever_the_case(session, tmp_path):
    queens = make_site(session, "Queen's Medical Center")
    make_department(session, "Emergency Department", site=queens)
    report = import_file(session=session, path=sheet(tmp_path, {"site": "queen's medical center"}, {"site": ""}),
                         today=TODAY)
    assert report.ok and report.imported == 2 and report.created["sites"] == []


def test_a_known_department_named_at_another_site_imports_nothing(session, tmp_path):
    make_department(session, "Emergency Department")  # at the first site
    make_site(session, "Kona")
    report = import_file(session=session, path=sheet(tmp_path, {}, {"site": "Kona"}), today=TODAY)
    assert [(e.row, e.column, e.reason) for e in report.errors] == [
        (3, "site", "“Emergency Department” is at another site; leave the site empty or name its own")]
    assert session.scalar(select(Nomination.id)) is None


def test_an_unknown_site_is_an_error_unless_the_import_may_create_it(session, tmp_path):
    path = sheet(tmp_path, {"department": "NICU", "site": "Kapiʻolani"}, {"department": "NICU", "site": "kapiʻolani"},
                 {"department": "Pharmacy"})
    refused = import_file(session=session, path=path, today=TODAY)
    assert {(e.row, e.reason) for e in refused.errors if e.column == "site"} == {
        (2, "“Kapiʻolani” is not a site we know (--create-missing adds it)"),
        (3, "“kapiʻolani” is not a site we know (--create-missing adds it)")}
    assert session.scalar(select(Site.id).where(Site.name == "Kapiʻolani")) is None
    report = import_file(session=session, path=path, create_missing=True, today=TODAY)
    assert report.ok and report.created["sites"] == ["Kapiʻolani"]
    assert site_of_department(session, "NICU") == "Kapiʻolani"
    main = session.get(Site, first_site_id(session=session)).name
    assert site_of_department(session, "Pharmacy") == main


def test_a_new_department_named_at_two_sites_imports_nothing(session, tmp_path):
    make_site(session, "Kona")
    make_site(session, "Hilo")
    report = import_file(session=session, path=sheet(tmp_path, {"department": "NICU", "site": "Kona"},
                                                     {"department": "NICU", "site": "Hilo"}),
                         create_missing=True, today=TODAY)
    assert [(e.row, e.column, e.reason) for e in report.errors] == [
        (3, "site", "names another site for “NICU” than an earlier row")]
    assert session.scalar(select(Department.id).where(Department.name == "NICU")) is None


def test_a_site_name_too_long_is_refused_beside_its_row(session, tmp_path):
    report = import_file(session=session, path=sheet(tmp_path, {"site": "K" * 121}), create_missing=True,
                         today=TODAY)
    assert [(e.row, e.column, e.reason) for e in report.errors] == [(2, "site", "must be at most 120 characters")]
