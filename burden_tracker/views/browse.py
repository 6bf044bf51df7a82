"""Browsing and searching the nominations: /nominations, its filters in the query string.

An address with values this page cannot read still answers: the unreadable filters are
ignored and named on the page, an out-of-range page is clamped, a long search is shortened
(views/filters.py, shared with /board).
"""

from flask import Blueprint, current_app, request

from ..db import get_session
from ..enums import RequirementSource, State
from ..list_files import NOMINATION_COLUMNS
from ..queries.list_exports import every_listed
from ..queries.listing import Filters, filter_choices, list_nominations
from .downloads import filters_in_words, send_list
from .filters import (
    MAX_SEARCH_LENGTH,
    FilterReader,
    push_address,
    read_page,
    read_search,
    shared_address_values,
)
from .rendering import render, wants_fragment

bp = Blueprint("browse", __name__)
SORT_LABELS = {"newest": "Newest first", "hours": "Most hours first", "supporters": "Most supporters first"}


@bp.get("/nominations")
def index():
    session = get_session()
    choices = filter_choices(session=session)
    filters, ignored = read_filters(request.args, choices)
    page = read_page(request.args)
    listing = list_nominations(session=session, page=page, filters=filters,
                               per_page=current_app.config["NOMINATIONS_PER_PAGE"])
    query = address_values(filters)
    choices |= {"states": list(State), "sources": list(RequirementSource), "sorts": SORT_LABELS}
    response = render("nominations/index.html", "nominations/_list.html", listing=listing, filters=filters,
                      query=query, choices=choices, ignored=ignored, in_place=wants_fragment(),
                      shortened=len(request.args.get("q", "").strip()) > MAX_SEARCH_LENGTH)
    return push_address(response, "browse.index", query, page) if wants_fragment() else response


@bp.get("/nominations.<any(csv, xlsx):file_type>")
def download(file_type: str):
    """Every nomination the page's filters find, in its order, as a file: the same query string as the page."""
    session = get_session()
    choices = filter_choices(session=session)
    filters, _ignored = read_filters(request.args, choices)
    query = address_values(filters)
    return send_list(file_type, every_listed(session=session, filters=filters), NOMINATION_COLUMNS,
                     name="nominations", title="Nominations",
                     about=filters_in_words(query, choices, SORT_LABELS, Filters.sort))


def read_filters(args, choices) -> tuple[Filters, list[str]]:
    """The filters the address asks for, and the names of those it asks for in a way we cannot read."""
    read = FilterReader(args, choices)
    state = read("state", State.from_label)
    return Filters(states=frozenset({state} if state else ()), q=read_search(args),
                   **read.shared(SORT_LABELS, Filters.sort)), read.ignored


def address_values(filters: Filters) -> dict:
    """The query string that asks for these filters: only what differs from the whole, newest-first list."""
    return shared_address_values(filters, Filters.sort, state=filters.state and filters.state.value, q=filters.q)
