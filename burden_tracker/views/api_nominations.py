"""/api/v1/nominations: the list with the page's filters, a page at a time behind a cursor, and one nomination as
its page shows it to the caller (the anonymity rule applies as on pages: queries/details.py names people).

The routes join views/api.py's blueprint, whose before_request authenticates the token.
"""

import base64
import binascii
import json
from datetime import date
from typing import Literal

from flask import url_for
from pydantic import BaseModel, ConfigDict, Field
from spectree import Response

from ..db import get_session
from ..enums import Outcome, RequirementSource, Role, State
from ..errors import DomainError
from ..queries.details import nomination_details
from ..queries.listing import Filters, NominationRow, list_nominations
from ..schemas import NominationFields, NominationIn, RowId
from ..services.nominations import nominate
from .api import Problem, bp, caller, needs_role, spec
from .filters import MAX_PAGE

LONGEST_PAGE = 100


class NominationQuery(BaseModel):
    """The filters of /nominations, and the page: `cursor` is the `next_cursor` of the page before."""

    model_config = ConfigDict(extra="forbid")
    state: State | None = None
    department_id: RowId | None = None
    category_id: RowId | None = None
    source: RequirementSource | None = None
    q: str = Field("", max_length=200, description="Words the title or description holds, each of them.")
    sort: Literal["newest", "hours", "supporters"] = "newest"
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(50, ge=1, le=LONGEST_PAGE)


class NominationSummary(BaseModel):
    id: int
    title: str
    state: State
    department: str
    category: str
    submitted_on: date
    annual_hours: float = Field(description="Clinician-hours a year it takes, as estimated.")
    supporters: int
    due_on: date | None = Field(description="When the board means to have evaluated it.")
    address: str = Field(description="Its page.")


class NominationPage(BaseModel):
    nominations: list[NominationSummary]
    next_cursor: str | None = Field(description="Send it as `cursor` for the next page; null on the last.")


class NominationOut(BaseModel):
    id: int
    title: str
    description: str
    suggested_change: str | None
    state: State
    department: str
    category: str
    submitter: str | None = Field(description="Who nominated it, unless they chose to stay anonymous.")
    submitted_on: date
    annual_hours: float
    supporters: int
    retired_on: date | None = Field(description="The effective date of its retirement.")
    outcome: Outcome | None = Field(description="How its retirement resolved it; null before, or if not recorded.")
    version: int = Field(description="Send it as If-Match when changing it.")
    address: str
    from_card: str | None = Field(None, description="The page of the burden card, retired at another health "
                                                    "system, that it was begun from; null when it was not.")


class NominationCreate(NominationFields):
    """A new nomination: what the form asks, by the names the form gives its fields."""

    model_config = ConfigDict(extra="forbid")


@bp.get("/nominations")
@spec.validate(query=NominationQuery, resp=Response(HTTP_200=NominationPage, HTTP_401=Problem, HTTP_422=Problem),
               tags=["nominations"])
def list_of_nominations(query: NominationQuery):
    """Nominations, newest first unless sorted otherwise."""
    filters = Filters(states=frozenset({query.state}) if query.state else frozenset(),
                      department_id=query.department_id, category_id=query.category_id, source=query.source,
                      q=query.q, sort=query.sort)
    page = _page_of(query)
    listing = list_nominations(session=get_session(), page=page, per_page=query.limit, filters=filters)
    return NominationPage(nominations=[_summary(row) for row in listing.rows],
                          next_cursor=_cursor(query, page + 1) if listing.has_next else None)


@bp.post("/nominations")
@spec.validate(json=NominationCreate, resp=Response(HTTP_201=NominationOut, HTTP_401=Problem, HTTP_403=Problem,
                                                    HTTP_422=Problem), tags=["nominations"])
def create_nomination(json: NominationCreate):
    """Nominate, as /nominations/new does: the department and category by their names."""
    submitter = needs_role(Role.STAFF, Role.BOARD)
    nomination = nominate(session=get_session(), submitter=submitter, data=NominationIn(**json.model_dump()))
    return nomination_out(nomination.id), 201, {"Location": url_for("api.one_nomination",
                                                                     nomination_id=nomination.id)}


@bp.get("/nominations/<int:nomination_id>")
@spec.validate(resp=Response(HTTP_200=NominationOut, HTTP_401=Problem, HTTP_404=Problem), tags=["nominations"])
def one_nomination(nomination_id: int):
    """One nomination, as its page shows it to the token's owner; its ETag is its version, for If-Match."""
    shown = nomination_out(nomination_id)
    return shown, 200, {"ETag": f'"{shown.version}"'}


def nomination_out(nomination_id: int) -> NominationOut:
    details = nomination_details(session=get_session(), nomination_id=nomination_id, viewer=caller().user)
    nomination = details.nomination
    return NominationOut(id=nomination.id, title=nomination.title, description=nomination.description,
                         suggested_change=nomination.suggested_change, state=nomination.state,
                         department=details.department, category=details.category, submitter=details.submitter,
                         submitted_on=details.submitted_on, annual_hours=round(details.estimate.annual_hours, 1),
                         supporters=details.supporters, retired_on=nomination.retired_on,
                         outcome=nomination.outcome, version=nomination.version,
                         address=url_for("nominations.show", nomination_id=nomination.id, _external=True),
                         from_card=url_for("commons.show", card_id=nomination.from_card_id, _external=True)
                         if nomination.from_card_id else None)


def _summary(row: NominationRow) -> NominationSummary:
    return NominationSummary(id=row.id, title=row.title, state=row.state, department=row.department,
                             category=row.category, submitted_on=row.submitted_on,
                             annual_hours=round(row.annual_hours, 1), supporters=row.supporters, due_on=row.due_on,
                             address=url_for("nominations.show", nomination_id=row.id, _external=True))


def _cursor(query: NominationQuery, page: int) -> str:
    """Opaque to the caller, and tied to the filters it was made for: a cursor sent with other filters is refused
    rather than silently read as a page of another list."""
    said = {"page": page, "filters": query.model_dump(mode="json", exclude={"cursor", "limit"})}
    return base64.urlsafe_b64encode(json.dumps(said, sort_keys=True).encode()).decode().rstrip("=")


def _page_of(query: NominationQuery) -> int:
    if query.cursor is None:
        return 1
    try:
        said = json.loads(base64.urlsafe_b64decode(query.cursor + "=" * (-len(query.cursor) % 4)))
        page = said["page"]
        same = said["filters"] == query.model_dump(mode="json", exclude={"cursor", "limit"})
    except (ValueError, KeyError, TypeError, binascii.Error):
        same, page = False, 0
    if not same or not isinstance(page, int) or not 2 <= page <= MAX_PAGE:
        raise DomainError("This cursor is not one this list gave, or it was made for other filters.",
                          fields={"cursor": "send the next_cursor of the page before, with the same filters"})
    return page
