"""A page of Wins, its headline included, reads the same few rows however many nominations the program holds, on
both databases: the work is counted (tests/support/work.py) at 2,000 nominations and again at eight times as many.
The headline is read from the kept figures, counted once at each size as `burden-tracker quarter keep` would."""

from datetime import date

from bench.dataset import build
from burden_tracker.db import open_session
from burden_tracker.queries import wins
from burden_tracker.services.keeping import keep_current_quarters
from tests.support.work import GROWTH, MOST_EXTRA_WORK, as_the_app_keeps_them, grow, work_of

TODAY = date(2026, 11, 2)


def test_a_page_of_wins_does_not_grow_with_the_table(engine):
    build(engine, nominations=2_000, today=TODAY)

    def pages() -> float:
        as_the_app_keeps_them(engine)
        with open_session(engine) as session:
            keep_current_quarters(session=session, today=TODAY)
        headline = work_of(engine, lambda session: wins.headline(session=session, today=TODAY))
        return headline + sum(work_of(engine, lambda session, page=page: wins.list_wins(
            session=session, page=page, per_page=25)) for page in (1, 2))

    before = pages()
    grow(engine, GROWTH)
    after = pages()
    assert after / before <= MOST_EXTRA_WORK, (before, after)
