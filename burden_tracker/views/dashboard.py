"""The executives' dashboard: /dashboard?quarter=2026-Q3, one quarter's figures, answered in place; of one site with
&site=ID, in a health system of several.

Every figure comes from queries/reporting.py, so the dashboard, the workbook and the command line
cannot disagree; this view only picks the quarter and the site and hands the figures to the templates. An address
with a quarter or a site we cannot read answers 404 with what was wrong: never another quarter's or site's figures.
"""


from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user

from ..db import get_session
from ..enums import Role
from ..errors import DomainError
from ..forms import CloseQuarterForm, ReopenQuarterForm
from ..hours import Quarter
from ..queries import executive, quarter_report, reporting, restatements
from ..queries.measured_impact import department_trends, measured_share
from ..queries.reference import for_lists, get_settings, organization_today
from ..services import closing
from .auth import role_required
from .errors import draw
from .rendering import named, render, show_errors, wants_fragment

bp = Blueprint("dashboard", __name__)
REPORT_READERS = (Role.BOARD, Role.EXECUTIVE, Role.ADMIN)
PICKER_QUARTERS = 12


@bp.get("/dashboard")
@role_required(*REPORT_READERS)
def index():
    session = get_session()
    current = reporting.current_quarter(session=session)
    asked = request.args.get("quarter", "").strip()
    try:
        quarter = reporting.parse_quarter(session=session, text=asked) if asked else current
    except ValueError as refused:
        return draw("There is no such quarter", f"{refused}. The dashboard without a quarter shows the current "
                    f"one, {current}.", 404), 404
    try:
        site_id = site_asked(session, request.args.get("site", ""))
    except NoSuchSite as refused:
        return draw("There is no such site", f"{refused}. The dashboard without a site shows the whole health "
                    "system.", 404), 404
    response = _dashboard(quarter, site_id=site_id)
    if wants_fragment():
        response.headers["HX-Push-Url"] = url_for("dashboard.index", quarter=quarter.key, site=site_id)
    return response


class NoSuchSite(ValueError):
    """An address names a site the health system does not have."""


def site_asked(session, text: str) -> int | None:
    """The site an address asks for (None: the whole health system); NoSuchSite, saying why, for one we lack."""
    text = text.strip()
    if not text:
        return None
    sites = dict(for_lists(session=session).sites)
    if not text.isdigit() or int(text) not in sites:
        raise NoSuchSite(f"“{text[:40]}” is not one of the health system's sites")
    return int(text)


@bp.post("/dashboard/<quarter>/close")
@role_required(Role.ADMIN)
def close(quarter):
    return _closing(quarter, CloseQuarterForm(), lambda session, chosen, form: closing.close_quarter(
        session=session, quarter=chosen, actor_id=current_user.id, closed_by=named(current_user)), "closed")


@bp.post("/dashboard/<quarter>/reopen")
@role_required(Role.ADMIN)
def reopen(quarter):
    return _closing(quarter, ReopenQuarterForm(), lambda session, chosen, form: closing.reopen_quarter(
        session=session, quarter=chosen, actor_id=current_user.id, reason=form.reason.data), "reopened")


def _closing(text: str, form, act, done: str):
    """Closes or reopens the quarter in the address; on a refusal, the dashboard with the reason beside the form."""
    session = get_session()
    try:
        quarter = reporting.parse_quarter(session=session, text=text)
    except ValueError as refused:
        return draw("There is no such quarter", f"{refused}.", 404), 404
    if form.validate_on_submit():
        try:
            act(session, quarter, form)
        except DomainError as error:
            session.rollback()
            show_errors(form, error)
            return _dashboard(quarter, closing_form=form, problem=str(error)), 422
        flash(f"{quarter} was {done}.")
        return redirect(url_for("dashboard.index", quarter=quarter.key), code=303)
    return _dashboard(quarter, closing_form=form, problem="Nothing was changed: see the message below."), 422


def _dashboard(quarter: Quarter, closing_form=None, problem: str | None = None, site_id: int | None = None):
    """The dashboard of one quarter, of the health system or one site: as it was closed, or as of today."""
    session = get_session()
    today = organization_today(session=session)
    current = reporting.current_quarter(session=session, today=today)
    sites = for_lists(session=session).sites
    try:
        report = quarter_report.report_for(session=session, quarter=quarter, today=today, site_id=site_id)
    except quarter_report.NotClosedBySite as not_kept:
        return render("dashboard/index.html", "dashboard/_body.html", quarter=quarter, current=current, report=None,
                      not_kept=str(not_kept), choices=quarter_choices(quarter, current), in_place=wants_fragment(),
                      sites=sites, site_id=site_id, site=dict(sites)[site_id])
    return render(
        "dashboard/index.html", "dashboard/_body.html", quarter=quarter, current=current, report=report,
        sites=sites, site_id=site_id, site=report.site,
        through=quarter.realized_through(report.today), choices=quarter_choices(quarter, current),
        in_place=wants_fragment(), figures=report.figures, history=report.history,
        previous_quarter=report.history[-2][0], previous=report.history[-2][1], year=report.year,
        target=report.target, wins=report.wins, compared=executive.COMPARED, how_to_read=executive.HOW_TO_READ,
        breakdowns=report.breakdowns, pipeline=report.pipeline, labels=restatements.FIGURE_LABELS,
        kind_of=restatements.kind_of,
        may_close=current_user.has_any(Role.ADMIN) and quarter < current and site_id is None,
        close_form=closing_form if isinstance(closing_form, CloseQuarterForm) else CloseQuarterForm(),
        reopen_form=closing_form if isinstance(closing_form, ReopenQuarterForm) else ReopenQuarterForm(),
        problem=problem, trends=department_trends(session=session, today=today, site_id=site_id),
        fewest_clinicians=get_settings(session=session).fewest_clinicians_shown,
        measured_share=measured_share(session=session, today=today, last_day=quarter.last_day,
                                      annualized_hours=report.figures.annualized_hours, site_id=site_id))


def quarter_choices(quarter: Quarter, current: Quarter) -> list[Quarter]:
    """The picker's quarters, newest first: the recent ones, and the chosen one wherever it lies."""
    return sorted({*current.last(PICKER_QUARTERS), quarter}, reverse=True)
