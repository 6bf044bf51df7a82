"""The review board's triage queue: /board, its filters in the query string, answered in place.

By default it shows the open pipeline (proposed and evaluated), most potential hours first. Like
/nominations, an address with values this page cannot read still answers: those filters are ignored
and named on the page, and an out-of-range page is clamped.
"""

from math import ceil

from flask import Blueprint, current_app, request

from ..db import get_session
from ..enums import RequirementSource, Role, State
from ..list_files import BOARD_COLUMNS
from ..queries.board_panel import active_board_members
from ..queries.list_exports import every_listed
from ..queries.listing import NEW_DAYS, Filters, StateCount, count_by_state, filter_choices, list_nominations
from ..queries.reference import for_lists, organization_today
from ..workflow import OPEN_STATES
from .auth import role_required
from .downloads import filters_in_words, send_list
from .filters import FilterReader, one_of, one_of_ids, push_address, read_page, shared_address_values
from .rendering import render, wants_fragment

bp = Blueprint("board", __name__)
SORT_LABELS = {"hours": "Most hours first", "supporters": "Most supporters first", "age": "Oldest first"}
DEFAULT_SORT = "hours"
STATE_GROUPS = {"open": OPEN_STATES, "all": frozenset()}  # "open" is the default and is left out of addresses
UNASSIGNED = "none"


@bp.get("/board")
@role_required(Role.BOARD)
def queue():
    session = get_session()
    today = organization_today(session=session)
    overdue_after_days = for_lists(session=session).stale_after_days
    choices = queue_choices(session)
    filters, ignored = read_filters(request.args, choices)
    page = read_page(request.args)
    listing = list_nominations(session=session, page=page, filters=filters, today=today, owners=True,
                               per_page=current_app.config["NOMINATIONS_PER_PAGE"])
    tallies = state_tallies(count_by_state(session=session, filters=filters, today=today))
    chosen = state_choice(filters)
    total = next(tally for choice, _label, tally in tallies if choice == chosen)
    query = address_values(filters)
    response = render("board/queue.html", "board/_list.html", listing=listing, tallies=tallies, total=total,
                      pages=max(ceil(total.nominations.value / listing.per_page), 1), filters=filters, query=query,
                      choices=choices,
                      ignored=ignored, overdue_after_days=overdue_after_days, state_choice=chosen,
                      in_place=wants_fragment())
    return push_address(response, "board.queue", query, page) if wants_fragment() else response


@bp.get("/board.<any(csv, xlsx):file_type>")
@role_required(Role.BOARD)
def download(file_type: str):
    """Every nomination of the queue the page's filters find, in its order, as a file."""
    session = get_session()
    choices = queue_choices(session)
    filters, _ignored = read_filters(request.args, choices)
    query = address_values(filters)
    return send_list(file_type, every_listed(session=session, filters=filters, owners=True), BOARD_COLUMNS,
                     name="board-queue", title="Board queue",
                     about=([] if "state" in query else [("State", "open: proposed and evaluated")])
                     + filters_in_words(query, choices, SORT_LABELS, DEFAULT_SORT))


def queue_choices(session) -> dict:
    return filter_choices(session=session) | {
        "owners": active_board_members(session=session), "states": list(State),
        "sources": list(RequirementSource), "sorts": SORT_LABELS,
        "ages": {"new": f"Last {NEW_DAYS} days", "overdue": "Overdue"}}


def read_filters(args, choices) -> tuple[Filters, list[str]]:
    """The filters the address asks for, and the names of those it asks for in a way we cannot read."""
    read = FilterReader(args, choices)
    state = read("state", lambda text: text if text in STATE_GROUPS else State.from_label(text).value) or "open"
    owner = read("owner", lambda text: text if text == UNASSIGNED else one_of_ids(choices["owners"])(text))
    return Filters(
        states=STATE_GROUPS[state] if state in STATE_GROUPS else frozenset({State(state)}),
        owner_id=owner if isinstance(owner, int) else None,
        unassigned=owner == UNASSIGNED,
        age=read("age", lambda text: one_of(text, choices["ages"])),
        **read.shared(SORT_LABELS, DEFAULT_SORT),
    ), read.ignored


def state_tallies(counts: dict[State, StateCount]) -> list[tuple[str, str, StateCount]]:
    """(state choice, label, count) for the open pipeline, each state, and all of them together."""

    def together(states):
        return sum((counts[state] for state in states), StateCount())

    return [("open", "Open", together(OPEN_STATES)), *((s.value, s.value.capitalize(), counts[s]) for s in State),
            ("all", "All", together(State))]


def state_choice(filters: Filters) -> str:
    """What the state filter is set to: "open", "all" or one state's value."""
    if filters.state:
        return filters.state.value
    return "open" if filters.states == OPEN_STATES else "all"


def address_values(filters: Filters) -> dict:
    """The query string that asks for these filters: only what differs from the default queue."""
    choice = state_choice(filters)
    return shared_address_values(filters, DEFAULT_SORT, state=choice if choice != "open" else None,
                                 owner=UNASSIGNED if filters.unassigned else filters.owner_id, age=filters.age)
