"""axe-core (4.14.1, vendored in tests/browser/vendor) checks each staff page as a screen reader
or keyboard user would meet it: labels, names, contrast, landmarks, at phone and desktop width."""


import pytest
from sqlalchemy import select

from burden_tracker.models import Nomination
from tests.support.pages import violations

pytestmark = pytest.mark.browser

PAGES = ["/nominations", "/nominations/{id}", "/nominations/new", "/mine", "/notices"]


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
