"""The review board's triage queue: /board, its filters in the query string, answered in place.

By default it shows the open pipeline (proposed and evaluated), most potential hours first. Like
/nominations, an address with values this page cannot read still answers: those filters are ignored
and named on the page, and an out-of-range page is clamped.
"""

from math import ceil

from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_login import current_user

from ..db import get_session
from ..enums import RequirementSource, Role, State
from ..errors import DomainError
from ..forms import ScheduleForm
from ..list_files import BOARD_COLUMNS
from ..queries.board_panel import active_board_members
from ..queries.deciders import sites_decided_by
from ..queries.list_exports import every_listed
from ..queries.listing import NEW_DAYS, Filters, StateCount, count_by_state, filter_choices, list_nominations
from ..queries.reference import for_lists, organization_today
from ..services.scheduling import Scheduled, assign_owner, set_due_day
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
    return _queue_page(request.args)


def _queue_page(args, *, status: int = 200, schedule_form: ScheduleForm | None = None):
    session = get_session()
    today = organization_today(session=session)
    overdue_after_days = for_lists(session=session).stale_after_days
    choices = queue_choices(session)
    filters, ignored = read_filters(args, choices)
    page = read_page(args)
    listing = list_nominations(session=session, page=page, filters=filters, today=today, owners=True,
                               per_page=current_app.config["NOMINATIONS_PER_PAGE"])
    tallies = state_tallies(count_by_state(session=session, filters=filters, today=today))
    chosen = state_choice(filters)
    total = next(tally for choice, _label, tally in tallies if choice == chosen)
    query = address_values(filters)
    response = render("board/queue.html", "board/_list.html", status=status, listing=listing, tallies=tallies,
                      total=total, pages=max(ceil(total.nominations.value / listing.per_page), 1), filters=filters,
                      query=query, choices=choices, ignored=ignored, overdue_after_days=overdue_after_days,
                      state_choice=chosen, in_place=wants_fragment(), today=today,
                      schedule_form=schedule_form or ScheduleForm(formdata=None))
    return push_address(response, "board.queue", query, page) if wants_fragment() else response


@bp.post("/board/schedule")
@role_required(Role.BOARD)
def schedule():
    """An owner or a due day for the nominations ticked; back to the same queue, saying what changed and, item by
    item, what was refused. A form that cannot be read is answered with the queue and the reason beside it."""
    form = ScheduleForm()
    session = get_session()
    if form.validate_on_submit():
        try:
            done = _scheduled(session, form)
        except DomainError as error:
            form.form_errors.append(error.message)
        else:
            _say_scheduled(done)
            filters, _ignored = read_filters(request.form, queue_choices(session))
            page = read_page(request.form)
            return redirect(url_for("board.queue", **address_values(filters), **({"page": page} if page > 1 else {})),
                            code=303)
    return _queue_page(request.form, status=422, schedule_form=form)


def _scheduled(session, form: ScheduleForm) -> Scheduled:
    if form.action.data == "owner":
        owner = form.new_owner.data
        if owner is None:
            raise DomainError("Choose the owner to give them, or “Nobody”.")
        return assign_owner(session=session, nomination_ids=form.chosen.data, actor=current_user.user,
                            owner_id=None if owner == UNASSIGNED else _owner_id(owner))
    return set_due_day(session=session, nomination_ids=form.chosen.data, due_on=form.due_on.data,
                       actor=current_user.user, today=organization_today(session=session))


def _owner_id(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) < 10):
        raise DomainError("Choose a board member to own them.")
    return int(text)


def _say_scheduled(done: Scheduled) -> None:
    flash(f"Changed {done.changed} nomination{'s' if done.changed != 1 else ''}." if done.changed
          else "Nothing needed changing.")
    for refusal in done.refused:
        flash(f"Not changed: #{refusal.nomination_id}{' “' + refusal.title + '”' if refusal.title else ''}, "
              f"because {refusal.reason}")


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
    """What the filters offer this board member; one limited to some sites is offered only theirs, and
    `within_sites` keeps their queue to them."""
    choices = filter_choices(session=session)
    limited = sites_decided_by(session=session, user_id=current_user.id)
    if limited is not None:
        choices["sites"] = tuple((id_, name) for id_, name in choices["sites"] if id_ in limited)
    return choices | {
        "owners": active_board_members(session=session), "states": list(State),
        "sources": list(RequirementSource), "sorts": SORT_LABELS,
        "ages": {"new": f"Last {NEW_DAYS} days", "overdue": "Overdue"},
        "within_sites": limited}


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
        within_sites=choices["within_sites"],
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
