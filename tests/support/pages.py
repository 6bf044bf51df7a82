"""Helpers the browser tests share: signing in, telling an in-place swap from a full page load, and checking every
cell."""

from pathlib import Path

from playwright.sync_api import expect

from burden_tracker.services.demo import DEMO_PASSWORD

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def mark_the_document(page, summary_id: str | None = None) -> None:
    """Flags that a full page load would wipe out; the status line's (by its id, if given) says it was updated in
    place, not replaced."""
    page.evaluate("window.stillTheSameDocument = true")
    if summary_id:
        page.evaluate(f"document.getElementById('{summary_id}').dataset.kept = 'yes'")


def still_the_same_document(page) -> bool:
    return page.evaluate("window.stillTheSameDocument === true")


def settled(page) -> None:
    """Waits until htmx has no request in flight and nothing left to swap or settle."""
    page.wait_for_function("!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")


def expect_summary_kept(page, summary: str) -> None:
    """The list's status line says `summary`, and it and the document were updated in place, not replaced."""
    expect(page.get_by_role("status")).to_contain_text(summary)
    expect(page.get_by_role("status")).to_have_attribute("data-kept", "yes")
    assert still_the_same_document(page)


def expect_every(cells, text: str) -> None:
    expect(cells.first).to_have_text(text)
    for cell in cells.all():
        expect(cell).to_have_text(text)


AXE = (Path(__file__).parents[1] / "browser" / "vendor" / "axe.min.js").read_text()


def violations(page) -> list[str]:
    page.evaluate(AXE)  # evaluated, not added as an inline <script>: the Content-Security-Policy would refuse that
    found = page.evaluate("async () => (await axe.run(document)).violations"
                          ".map(v => `${v.impact}: ${v.id}: ${v.help} (${v.nodes.length})`)")
    return [v for v in found if v.split(":")[0] in ("serious", "critical")]


HTMX_CANCELLED = ("htmx:sendAbort", "htmx:afterRequest")


def signed_in(page, live_server: str, email: str):
    """The page, signed in as a demo account once its header says so."""
    page.goto(live_server + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    return page
