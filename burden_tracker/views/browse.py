"""Browsing and searching the nominations: /nominations, its filters in the query string.

An address with values this page cannot read still answers: the unreadable filters are
ignored and named on the page, an out-of-range page is clamped, a long search is shortened.
"""

from flask import Blueprint, current_app, request, url_for

from ..db import get_session
from ..enums import RequirementSource, State
from ..queries.listing import Filters, filter_choices, list_nominations
from .rendering import render, wants_fragment

bp = Blueprint("browse", __name__)
MAX_SEARCH_LENGTH = 200
MAX_PAGE = 100_000
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
    if wants_fragment():
        response.headers["HX-Push-Url"] = url_for("browse.index", **query, **({"page": page} if page > 1 else {}))
    return response


def read_filters(args, choices) -> tuple[Filters, list[str]]:
    """The filters the address asks for, and the names of those it asks for in a way we cannot read."""
    ignored = []

    def read(name, parse):
        return read_value(args, name, parse, ignored)

    state = read("state", State.from_label)
    return Filters(
        states=frozenset({state} if state else ()),
        department_id=read("department", one_of_ids(choices["departments"])),
        category_id=read("category", one_of_ids(choices["categories"])),
        source=read("source", RequirementSource.from_label),
        q=args.get("q", "").replace("\x00", "").strip()[:MAX_SEARCH_LENGTH],
        sort=read("sort", lambda text: one_of(text, SORT_LABELS)) or Filters.sort,
    ), ignored


def read_value(args, name: str, parse, ignored: list[str]):
    """The value of one query-string field, or None when it is empty or unreadable (then its name joins ignored)."""
    text = args.get(name, "").strip()
    if not text:
        return None
    try:
        return parse(text)
    except ValueError:
        ignored.append(name)
        return None


def read_page(args) -> int:
    return min(max(args.get("page", 1, type=int), 1), MAX_PAGE)


def one_of(value, allowed):
    if value not in allowed:
        raise ValueError(f"{value!r} is not one of the choices")
    return value


def one_of_ids(choices):
    known = {known_id for known_id, _name in choices}
    return lambda text: one_of(int(text), known)


def address_values(filters: Filters) -> dict:
    """The query string that asks for these filters: only what differs from the whole, newest-first list."""
    values = {"state": filters.state and filters.state.value, "department": filters.department_id,
              "category": filters.category_id, "source": filters.source and filters.source.value,
              "q": filters.q, "sort": filters.sort if filters.sort != Filters.sort else None}
    return {name: value for name, value in values.items() if value}
