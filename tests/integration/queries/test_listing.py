"""A page of /nominations or /board does the same work however large the program grows.

Time is measured in bench/; here the work is counted (tests/support/work.py), which is steady on a busy machine.
Each list is asked for at 2,000 nominations and again after the table has grown eightfold.
"""

from datetime import date

from sqlmodel import Session

from bench.dataset import build
from burden_tracker.enums import State
from burden_tracker.queries import listing
from burden_tracker.queries.listing import Filters
from burden_tracker.workflow import OPEN_STATES
from tests.support.work import GROWTH, MOST_EXTRA_WORK, as_the_app_keeps_them, busiest, grow, work_of


def lists(department_id: int, category_id: int) -> dict[str, Filters]:
    """The pages' defaults and the filters the board uses most. A search by a word is left out: it reads on
    until it has found a page of matches, so a rare word reads more of a larger table."""
    return {
        "browse, newest": Filters(),
        "browse, proposed in one department, most hours": Filters(
            states=frozenset({State.PROPOSED}), department_id=department_id, sort="hours"),
        "board, open, most hours": Filters(states=OPEN_STATES, sort="hours"),
        "board, open in one department, overdue, most supporters": Filters(
            states=OPEN_STATES, department_id=department_id, age="overdue", sort="supporters"),
        "board, open, overdue, most hours": Filters(states=OPEN_STATES, age="overdue", sort="hours"),
        "board, open in one category, most supporters": Filters(
            states=OPEN_STATES, category_id=category_id, sort="supporters"),
        "board, open at the first site, most hours": Filters(states=OPEN_STATES, site_id=1, sort="hours"),
    }


# The counts stop at COUNT_LIMIT per state; within one department the smaller states stay under it here,
# and are counted whole, so only the program-wide counts are held to the same work.
COUNTED_WHOLE_PROGRAM = ("browse, newest", "board, open, most hours", "board, open, overdue, most hours",
                         "board, open at the first site, most hours")


def test_a_page_and_its_counts_do_not_grow_with_the_table(engine, monkeypatch):
    monkeypatch.setattr(listing, "COUNT_LIMIT", 100)  # reached at both sizes, as 1,000 is in a large program
    build(engine, nominations=2_000, today=date(2026, 11, 2))
    largest = busiest(engine, "department_id"), busiest(engine, "category_id")
    before = _work_of_each_list(engine, *largest)
    grow(engine, GROWTH)
    after = _work_of_each_list(engine, *largest)
    grown = {name: round(after[name] / before[name], 2) for name in before}
    assert all(ratio <= MOST_EXTRA_WORK for ratio in grown.values()), grown


def _work_of_each_list(engine, department_id: int, category_id: int) -> dict[str, float]:
    as_the_app_keeps_them(engine)
    work = {}
    for name, filters in lists(department_id, category_id).items():
        work[f"{name}: page"] = work_of(engine, lambda session, filters=filters: _page(session, filters))
        if name in COUNTED_WHOLE_PROGRAM:
            work[f"{name}: counts"] = work_of(engine, lambda session, filters=filters: _counts(session, filters))
    return work


def _page(session: Session, filters: Filters):
    return listing.list_nominations(session=session, page=1, per_page=25, filters=filters, today=date(2026, 11, 2))


def _counts(session: Session, filters: Filters):
    return listing.count_by_state(session=session, filters=filters, today=date(2026, 11, 2))
