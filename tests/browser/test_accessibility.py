"""axe-core (4.14.1, vendored in tests/browser/vendor) checks each staff page as a screen reader
or keyboard user would meet it: labels, names, contrast, landmarks, at phone and desktop width."""

from pathlib import Path

import pytest
from sqlalchemy import select

from burden_tracker.models import Nomination

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
PAGES = ["/nominations", "/nominations/{id}", "/nominations/new", "/mine", "/notices"]


def violations(page) -> list[str]:
    page.evaluate(AXE)  # evaluated, not added as an inline <script>: the Content-Security-Policy would refuse that
    found = page.evaluate("async () => (await axe.run(document)).violations"
                          ".map(v => `${v.impact}: ${v.id}: ${v.help} (${v.nodes.length})`)")
    return [v for v in found if v.split(":")[0] in ("serious", "critical")]


@pytest.mark.parametrize("width", [375, 1280])
def test_staff_pages_have_no_serious_accessibility_violations(page, live_server, live_db, sign_in_as, width):
    nomination_id = live_db.scalar(select(Nomination.id).order_by(Nomination.id))
    live_db.rollback()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server + "/login")
    assert violations(page) == [], "/login"
    sign_in_as("nurse@demo.test")
    for path in PAGES:
        page.goto(live_server + path.format(id=nomination_id))
        assert violations(page) == [], path
