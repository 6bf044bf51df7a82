"""Helpers the browser tests share: telling an in-place swap from a full page load, and checking every cell."""

from playwright.sync_api import expect


def mark_the_document(page, summary_id: str | None = None) -> None:
    """Flags that a full page load would wipe out; the status line's (by its id, if given) says it was updated in
    place, not replaced."""
    page.evaluate("window.stillTheSameDocument = true")
    if summary_id:
        page.evaluate(f"document.getElementById('{summary_id}').dataset.kept = 'yes'")


def still_the_same_document(page) -> bool:
    return page.evaluate("window.stillTheSameDocument === true")


def expect_every(cells, text: str) -> None:
    expect(cells.first).to_have_text(text)
    for cell in cells.all():
        expect(cell).to_have_text(text)
