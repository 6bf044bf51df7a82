"""The executives' dashboard: /dashboard?quarter=2026-Q3, one quarter's figures, answered in place.

Every figure comes from queries/reporting.py, so the dashboard, the workbook and the command line
cannot disagree; this view only picks the quarter and hands the figures to the templates. Like /board,
an address with a quarter we cannot read still answers: it shows the current quarter and says what
it ignored.
"""

from datetime import date

from flask import Blueprint, request, url_for

from ..db import get_session
from ..enums import Role
from ..hours import Quarter
from ..queries import reporting
from .auth import role_required
from .rendering import render, wants_fragment

bp = Blueprint("dashboard", __name__)
REPORT_READERS = (Role.BOARD, Role.EXECUTIVE, Role.ADMIN)
PICKER_QUARTERS = 12
MAX_ECHOED_LENGTH = 40  # an unreadable quarter is named on the page; a very long one is cut short


@bp.get("/dashboard")
@role_required(*REPORT_READERS)
def index():
    session = get_session()
    today = date.today()
    current = reporting.current_quarter(session=session, today=today)
    quarter, ignored = read_quarter(session, request.args.get("quarter", ""), current)
    history = reporting.history(session=session, quarter=quarter)  # the chosen quarter's figures come last
    response = render(
        "dashboard/index.html", "dashboard/_body.html", quarter=quarter, current=current, ignored=ignored,
        choices=quarter_choices(quarter, current), in_place=wants_fragment(), figures=history[-1][1],
        history=history,
        breakdowns={by: reporting.breakdown(session=session, quarter=quarter, by=by) for by in reporting.GROUPINGS},
        pipeline=reporting.pipeline_by_state(session=session, quarter=quarter, today=today))
    if wants_fragment():
        response.headers["HX-Push-Url"] = url_for("dashboard.index", quarter=str(quarter))
    return response


def read_quarter(session, text: str, current: Quarter) -> tuple[Quarter, str | None]:
    """The quarter the address asks for, and, when it cannot be read, what we ignored and why.

    A missing quarter is the current one without comment: /dashboard is the everyday address.
    """
    text = text.strip()
    if not text:
        return current, None
    try:
        return reporting.parse_quarter(session=session, text=text), None
    except ValueError:
        shown = text if len(text) <= MAX_ECHOED_LENGTH else text[:MAX_ECHOED_LENGTH] + "…"
        return current, shown


def quarter_choices(quarter: Quarter, current: Quarter) -> list[Quarter]:
    """The picker's quarters, newest first: the recent ones, and the chosen one wherever it lies."""
    return sorted({*current.last(PICKER_QUARTERS), quarter}, reverse=True)
