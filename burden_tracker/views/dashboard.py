"""The executives' dashboard: /dashboard?quarter=2026-Q3, one quarter's figures, answered in place.

Every figure comes from queries/reporting.py, so the dashboard, the workbook and the command line
cannot disagree; this view only picks the quarter and hands the figures to the templates. An address
with a quarter we cannot read answers 404 with what was wrong: never another quarter's figures.
"""


from flask import Blueprint, request, url_for

from ..db import get_session
from ..enums import Role
from ..hours import Quarter
from ..queries import executive, reporting
from ..queries.reference import organization_today
from .auth import role_required
from .errors import draw
from .rendering import render, wants_fragment

bp = Blueprint("dashboard", __name__)
REPORT_READERS = (Role.BOARD, Role.EXECUTIVE, Role.ADMIN)
PICKER_QUARTERS = 12


@bp.get("/dashboard")
@role_required(*REPORT_READERS)
def index():
    session = get_session()
    today = organization_today(session=session)
    current = reporting.current_quarter(session=session, today=today)
    asked = request.args.get("quarter", "").strip()
    try:
        quarter = reporting.parse_quarter(session=session, text=asked) if asked else current
    except ValueError as refused:
        return draw("There is no such quarter", f"{refused}. The dashboard without a quarter shows the current "
                    f"one, {current}.", 404), 404
    history = reporting.history(session=session, quarter=quarter, today=today)  # the chosen quarter's come last
    response = render(
        "dashboard/index.html", "dashboard/_body.html", quarter=quarter, current=current,
        through=quarter.realized_through(today), choices=quarter_choices(quarter, current), in_place=wants_fragment(),
        figures=history[-1][1], history=history, previous_quarter=history[-2][0], previous=history[-2][1],
        year=(year := executive.year_to_date(history)), target=executive.target_progress(session=session, year=year),
        wins=executive.largest_wins(session=session, quarter=quarter), compared=executive.COMPARED,
        how_to_read=executive.HOW_TO_READ,
        breakdowns={by: reporting.breakdown(session=session, quarter=quarter, by=by, today=today)
                    for by in reporting.GROUPINGS},
        pipeline=reporting.pipeline_by_state(session=session, quarter=quarter, today=today))
    if wants_fragment():
        response.headers["HX-Push-Url"] = url_for("dashboard.index", quarter=quarter.key)
    return response


def quarter_choices(quarter: Quarter, current: Quarter) -> list[Quarter]:
    """The picker's quarters, newest first: the recent ones, and the chosen one wherever it lies."""
    return sorted({*current.last(PICKER_QUARTERS), quarter}, reverse=True)
