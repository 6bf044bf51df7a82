"""A page of Wins reads the same few rows however many nominations the program holds, on both databases: the work
is counted (tests/support/work.py) at 2,000 nominations and again at eight times as many."""

from datetime import date

from bench.dataset import build
from burden_tracker.queries.wins import list_wins
from tests.support.work import GROWTH, MOST_EXTRA_WORK, as_the_app_keeps_them, grow, work_of


def test_a_page_of_wins_does_not_grow_with_the_table(engine):
    build(engine, nominations=2_000, today=date(2026, 11, 2))

    def pages() -> float:
        as_the_app_keeps_them(engine)
        return sum(work_of(engine, lambda session, page=page: list_wins(session=session, page=page, per_page=25))
                   for page in (1, 2))

    before = pages()
    grow(engine, GROWTH)
    after = pages()
    assert after / before <= MOST_EXTRA_WORK, (before, after)
