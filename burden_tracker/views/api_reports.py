"""/api/v1/reports and /api/v1/metrics: a quarter's figures as its dashboard shows them (queries/quarter_report.py:
as it was closed, or as of today) and its workbook, for the board, executives and admins; and the EHR vendor's
metrics imported, or only checked, as /admin/metrics imports them, for admins.

The routes join views/api.py's blueprint, whose before_request authenticates the token.
"""

from datetime import date, datetime

from flask import abort, current_app, request, url_for
from pydantic import BaseModel, ConfigDict, Field
from spectree import Response

from ..db import get_session
from ..enums import Role, WorkbookState
from ..errors import DomainError
from ..models import Workbook
from ..queries import quarter_report
from ..queries.reference import organization_today
from ..queries.reporting import Figures, parse_quarter
from ..services.metrics_import import import_metrics
from ..services.sheet_files import read_upload
from ..services.workbooks import Ready, UnderWay
from .api import BY_HAND, PROBLEM, PROBLEM_SCHEMA, Problem, bp, needs_role, problem, spec
from .dashboard import REPORT_READERS, NoSuchSite, site_asked
from .downloads import TYPES
from .reports import POLL_SECONDS, send_kept, workbook_for, write_now

SHEET_KINDS = {"text/csv": "metrics.csv", TYPES["xlsx"]: "metrics.xlsx"}


class GroupOut(BaseModel):
    label: str
    figures: Figures


class QuarterOut(BaseModel):
    quarter: str = Field(description="As addresses write it: 2026-Q3.")
    label: str = Field(description="As people read it: FY2027-Q1 when the fiscal year does not start in January.")
    first_day: date
    last_day: date
    as_of: date = Field(description="The day the figures stand on: today, or the day the quarter was closed.")
    closed_at: datetime | None = Field(description="When the quarter was closed; null while its figures may move.")
    figures: Figures = Field(description="As the reporting service counts them (queries/reporting.Figures).")
    breakdowns: dict[str, list[GroupOut]] = Field(
        description="By site, department, category, source, affected role and outcome.")
    site: str | None = Field(None, description="The site's name, for one site's figures; null for the whole "
                                               "health system's.")
    workbook: str = Field(description="The quarter's workbook, for the same token.")


class ReportQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    site: int | None = Field(None, description="One site's figures (its id, as on /admin); none: the whole health "
                                               "system's.")


class WorkbookUnderWay(BaseModel):
    state: str = Field(description="queued (waiting for the job queue) or writing.")
    rows_written: int


class MetricsQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    dry_run: bool = Field(False, description="Only check the file: nothing is stored.")


class MetricsOut(BaseModel):
    shape: str
    rows: int
    figures: int = Field(description="Department × month × metric figures stored (or that would be, on a dry run).")
    dry_run: bool
    warnings: list[str]


@bp.get("/reports/<quarter>")
@spec.validate(query=ReportQuery,
               resp=Response(HTTP_200=QuarterOut, HTTP_401=Problem, HTTP_403=Problem, HTTP_404=Problem),
               tags=["reports"])
def quarter_figures(quarter: str, query: ReportQuery):
    """The quarter's figures and their breakdowns, as the dashboard shows them: the health system's, or a site's."""
    needs_role(*REPORT_READERS)
    session = get_session()
    chosen = _quarter(session, quarter)
    site_id = _site(session, "" if query.site is None else str(query.site))
    try:
        report = quarter_report.report_for(session=session, quarter=chosen, today=organization_today(session=session),
                                           site_id=site_id)
    except quarter_report.NotClosedBySite as not_kept:
        return problem(404, "This site's figures were not kept when the quarter was closed.", f"{not_kept}.")
    return QuarterOut(
        quarter=chosen.key, label=str(chosen), first_day=chosen.first_day, last_day=chosen.last_day,
        as_of=report.today, closed_at=report.closed.at if report.closed else None,
        figures=report.figures,
        breakdowns={kind: [GroupOut(label=group.label, figures=group.figures)
                           for group in groups] for kind, groups in report.breakdowns.items()},
        site=report.site, workbook=url_for("api.quarter_workbook", quarter=chosen.key, site=site_id, _external=True))


@bp.get("/reports/<quarter>/workbook")
def quarter_workbook(quarter: str):
    """The quarter's workbook, as /reports/QUARTER.xlsx sends it (described in BY_HAND below). One written by a job
    answers 202 until it is ready, with Retry-After: the same request then sends it."""
    reader = needs_role(*REPORT_READERS)
    chosen = _quarter(get_session(), quarter)
    site_id = _site(get_session(), request.args.get("site", ""))
    try:
        answer = workbook_for(chosen, reader, site_id)
    except quarter_report.NotClosedBySite as not_kept:
        return problem(404, "This site's figures were not kept when the quarter was closed.", f"{not_kept}.")
    if isinstance(answer, Ready):
        return send_kept(answer.workbook)
    if isinstance(answer, UnderWay):
        return _under_way(answer.workbook)
    sent = write_now(chosen, reader, site_id)
    if not isinstance(sent, tuple):
        return sent
    return problem(503, "The workbook could not be written.", "The server could not write it (its disk may be "
                   "full). Nothing was sent; try again later.")


def _under_way(workbook: Workbook):
    if workbook.state == WorkbookState.FAILED:  # failed while written at once, in this request
        return problem(503, "The workbook could not be written.", f"{workbook.problem} Try again later.")
    return WorkbookUnderWay(state=workbook.state.value, rows_written=workbook.rows_written).model_dump(), 202, {
        "Retry-After": str(POLL_SECONDS), "Location": request.path}


@bp.post("/metrics")
@spec.validate(query=MetricsQuery, resp=Response(HTTP_200=MetricsOut, HTTP_401=Problem, HTTP_403=Problem,
                                                 HTTP_413=Problem, HTTP_415=Problem, HTTP_422=Problem),
               tags=["metrics"])
def import_ehr_metrics(query: MetricsQuery):
    """Import the EHR vendor's export, sent as the body (text/csv, or an .xlsx), all or nothing, as /admin/metrics
    does; with dry_run, only check it. A refused file answers 422, its rows' problems in fields."""
    needs_role(Role.ADMIN)
    kind = SHEET_KINDS.get(request.mimetype)
    if kind is None:
        return problem(415, "Send the file as text/csv or as an .xlsx workbook.",
                       f"The body's Content-Type must be {' or '.join(SHEET_KINDS)}.")
    request.max_content_length = current_app.config["UPLOAD_MAX_BYTES"]
    try:
        report = import_metrics(session=get_session(), table=read_upload(request.stream, kind),
                                dry_run=query.dry_run)
    except DomainError as error:
        return problem(422, "The file was not read.", error.message)
    if not report.ok:
        return problem(422, "Nothing was imported.", f"{len(report.errors):,} of its values were refused.",
                       {f"row {error.row}, {error.column}": error.reason for error in report.errors})
    return MetricsOut(shape=report.shape, rows=report.rows, figures=report.figures, dry_run=report.dry_run,
                      warnings=report.warnings)


def _refusal(said: str) -> dict:
    return {"description": said, "content": {PROBLEM: {"schema": {"$ref": PROBLEM_SCHEMA}}}}


BY_HAND["/api/v1/reports/{quarter}/workbook"] = {"get": {
    "summary": "The quarter's workbook, as /reports/QUARTER.xlsx sends it.", "operationId": "get_quarter_workbook",
    "tags": ["reports"], "security": [{"token": []}],
    "parameters": [{"name": "quarter", "in": "path", "required": True, "schema": {"type": "string"},
                    "description": "As addresses write it: 2026-Q3."},
                   {"name": "site", "in": "query", "required": False, "schema": {"type": "integer"},
                    "description": "One site's workbook (its id, as on /admin); none: the whole health system's."}],
    "responses": {"200": {"description": "The workbook", "content": {TYPES["xlsx"]: {
                      "schema": {"type": "string", "format": "binary"}}}},
                  "202": {"description": "Accepted: the workbook is being written by a job (a closed quarter's "
                          "not yet kept, or a large program's). Ask again after Retry-After seconds.",
                          "headers": {"Retry-After": {"schema": {"type": "integer"}}},
                          "content": {"application/json": {"schema": WorkbookUnderWay.model_json_schema()}}},
                  "401": _refusal("Unauthorized"), "403": _refusal("Forbidden"), "404": _refusal("Not Found"),
                  "503": _refusal("Service Unavailable: the server could not write it")}}}


# What spectree cannot say of the import: its body is a file, not JSON.
BY_HAND["/api/v1/metrics"] = {"post": {"requestBody": {"required": True, "content": {
    "text/csv": {"schema": {"type": "string"}}, TYPES["xlsx"]: {"schema": {"type": "string", "format": "binary"}}}}}}


def _quarter(session, text: str):
    try:
        return parse_quarter(session=session, text=text)
    except ValueError as error:
        abort(problem(404, "There is no such quarter.", f"{error}."))


def _site(session, text: str) -> int | None:
    try:
        return site_asked(session, text)
    except NoSuchSite as error:
        abort(problem(404, "There is no such site.", f"{error}."))
