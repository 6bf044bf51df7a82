"""/admin/metrics in Chromium as admin@demo.test, on a phone's screen and a desktop's: the metrics and their names,
a vendor's name added, and the template downloaded."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_an_admin_adds_a_vendors_name_and_downloads_the_template(page, live_server, sign_in_as, screen):
    sign_in_as("admin@demo.test")
    page.get_by_role("link", name="Admin").click()
    page.get_by_role("link", name="EHR metrics").click()
    expect(page.get_by_role("heading", name="EHR metrics")).to_be_visible()
    expect(page.get_by_role("rowheader", name="WOW8", exact=False)).to_be_visible()
    page.get_by_label("Name in the vendor's export").fill("After-hours time per 8h")
    page.get_by_label("Is the metric").select_option("WOW8")
    page.get_by_role("button", name="Add the name").click()
    expect(page.get_by_text("The import now reads 'After-hours time per 8h' as WOW8.")).to_be_visible()
    expect(page.get_by_role("button", name="Remove the name After-hours time per 8h")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="this template").click()
    assert download.value.suggested_filename == "burden-tracker-metrics-template.xlsx"


def test_an_admin_checks_then_imports_an_export_and_sees_each_bad_row(page, live_server, sign_in_as, screen,
                                                                       tmp_path):
    good = tmp_path / "signal.csv"
    good.write_text("Department,Month,Metric,Numerator,Denominator,Clinicians\n"
                    "Cardiology,2026-01,IB-Time8,30,200,12\nCardiology,2026-02,IB-Time8,28,190,12\n")
    bad = tmp_path / "signal-bad.csv"
    bad.write_text("Department,Month,Metric,Numerator,Denominator\nCardiology,2026-13,WOW8,30,200\n"
                   "Radiology,2026-01,WOW8,1,8\n")
    sign_in_as("admin@demo.test")
    page.goto(f"{live_server}/admin/metrics")
    page.get_by_label("The vendor's export, or the template filled in").set_input_files(bad)
    page.get_by_role("button", name="Import the file").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Nothing was imported: 2 rows of the template sheet have errors.")
    expect(alert.get_by_role("row", name="2 month is not a month: write it like 2026-01")).to_be_visible()
    expect(alert.get_by_role("row", name="3 department no department is named 'Radiology'")).to_be_visible()
    page.get_by_label("The vendor's export, or the template filled in").set_input_files(good)
    page.get_by_label("Only check it: import nothing").check()
    page.get_by_role("button", name="Import the file").click()
    expect(page.get_by_role("status")).to_contain_text("The file can be imported: 2 rows (template shape)")
    expect(page.get_by_role("row", name="IB-Time8", exact=False)).to_contain_text("nothing yet")
    page.get_by_label("The vendor's export, or the template filled in").set_input_files(good)
    page.get_by_label("Only check it: import nothing").uncheck()
    page.get_by_role("button", name="Import the file").click()
    expect(page.get_by_text("Imported 2 rows (template shape) as 2 figures")).to_be_visible()
    expect(page.get_by_role("row", name="IB-Time8", exact=False)).to_contain_text("1 department, 2026-01 to 2026-02")
