"""The dashboard reads as many rows of nominations at eight times the program as before, on both databases: its
figures come from the kept figures (queries/kept_figures.py), counted once at each size as `burden-tracker quarter
keep` would after a restore. The work is counted from the statements the page sends (tests/support/work.py)."""

from bench.dataset import build
from bench.work import statements_of, work_of_statements
from burden_tracker.db import open_session
from burden_tracker.enums import Role
from burden_tracker.queries.reference import organization_today
from burden_tracker.services.keeping import keep_current_quarters
from tests.support.factories import make_user
from tests.support.web import sign_in
from tests.support.work import GROWTH, MOST_EXTRA_WORK, as_the_app_keeps_them, grow


def test_the_dashboard_does_not_read_more_of_a_larger_program(client, session, engine):
    with open_session(engine) as reading:
        today = organization_today(session=reading)  # the organization's, as the page's and the kept figures'
    build(engine, nominations=2_000, today=today)
    sign_in(client, make_user(session, Role.EXECUTIVE, can_sign_in=True).email)
    session.rollback()

    served = client.application.extensions["db_engine"]

    def dashboard() -> float:
        as_the_app_keeps_them(engine)
        with open_session(engine) as keeping:
            keep_current_quarters(session=keeping, today=today)
        asked = statements_of(served, lambda: client.get("/dashboard"))
        assert asked, "the page read no nominations: it was not drawn"
        return work_of_statements(served, asked)

    before = dashboard()
    grow(engine, GROWTH)
    after = dashboard()
    assert after / before <= MOST_EXTRA_WORK, (before, after)
