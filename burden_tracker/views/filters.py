"""Reading a list's filters from the query string, for /nominations and /board alike.

An address with values a page cannot read still answers: each unreadable filter is ignored and its name
collected, so the page can say which; an out-of-range page is clamped and a long search shortened.
"""

from flask import url_for

from ..enums import RequirementSource
from ..queries.listing import Filters
from ..schemas import LARGEST_ID, without_nul

MAX_SEARCH_LENGTH = 200
MAX_PAGE = 100_000


class FilterReader:
    """Reads one address's filters; `ignored` names those it asked for in a way we cannot read."""

    def __init__(self, args, choices: dict):
        self.args, self.choices, self.ignored = args, choices, []

    def __call__(self, name: str, parse):
        return read_value(self.args, name, parse, self.ignored)

    def shared(self, sort_labels: dict, default_sort: str) -> dict:
        """The filters both lists offer, as keyword arguments of Filters: department, site, category, source, sort."""
        return {"department_id": self("department", one_of_ids(self.choices["departments"])),
                "site_id": self("site", one_of_ids(self.choices["sites"])),
                "category_id": self("category", one_of_ids(self.choices["categories"])),
                "source": self("source", RequirementSource.from_label),
                "sort": self("sort", lambda text: one_of(text, sort_labels)) or default_sort}


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


def read_search(args, name: str = "q") -> str:
    return without_nul(args.get(name, "")).strip()[:MAX_SEARCH_LENGTH]


def read_id(args, name: str) -> int | None:
    """A row's id from the query string; None when it is not a number any row could have."""
    value = args.get(name, type=int)
    return value if value is not None and 1 <= value <= LARGEST_ID else None


def read_page(args) -> int:
    return min(max(args.get("page", 1, type=int), 1), MAX_PAGE)


def one_of(value, allowed):
    if value not in allowed:
        raise ValueError(f"{value!r} is not one of the choices")
    return value


def one_of_ids(choices):
    known = {known_id for known_id, _name in choices}
    return lambda text: one_of(int(text), known)


def shared_address_values(filters: Filters, default_sort: str, **values) -> dict:
    """The query string that asks for these filters: only the given values and the shared filters that are set,
    and the sort when it is not the list's default."""
    values |= {"department": filters.department_id, "site": filters.site_id, "category": filters.category_id,
               "source": filters.source and filters.source.value,
               "sort": filters.sort if filters.sort != default_sort else None}
    return {name: value for name, value in values.items() if value}


def push_address(response, endpoint: str, query: dict, page: int):
    """A list answered in place puts its new address in the browser's bar."""
    response.headers["HX-Push-Url"] = url_for(endpoint, **query, **({"page": page} if page > 1 else {}))
    return response
