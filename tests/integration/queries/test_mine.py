"""A person's own list, /mine, reads their few nominations however many others the program holds, on both
databases: the work is counted (tests/support/work.py) at 2,000 nominations and again at eight times as many, the
person's own staying as many."""

from datetime import date

from sqlalchemy import text

from bench.dataset import build
from burden_tracker.queries.mine import my_nominations
from tests.support.work import GROWTH, MOST_EXTRA_WORK, as_the_app_keeps_them, grow, work_of


def test_a_persons_list_does_not_grow_with_the_table(engine):
    build(engine, nominations=2_000, today=date(2026, 11, 2))
    with engine.connect() as connection:  # someone who both submits and supports
        person = connection.execute(text(
            "SELECT submitter_id FROM nominations WHERE submitter_id IN (SELECT user_id FROM supporters) "
            "GROUP BY submitter_id ORDER BY count(*) DESC, submitter_id LIMIT 1")).scalar_one()

    def theirs() -> tuple[float, int]:
        as_the_app_keeps_them(engine)
        listed = []
        work = work_of(engine, lambda session: listed.extend(my_nominations(session=session, user_id=person)))
        return work, len(listed)

    before, listed = theirs()
    grow(engine, GROWTH, submitters=False)
    after, listed_after = theirs()
    assert listed > 2 and listed_after == listed
    assert after / before <= MOST_EXTRA_WORK, (before, after)
