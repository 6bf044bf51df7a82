"""The quarterly workbook for download at /reports/2026-Q3.xlsx, or one site's at /reports/2026-Q3.xlsx?site=ID
(board, executives, admins).

A closed quarter's workbook is kept in the database (services/workbooks.py) and streamed from there, a part at a
time. A quarter not closed is written to a temporary file while its reader waits, then streamed and removed
(openpyxl's write-only mode keeps memory flat), unless the program has more than WORKBOOK_IN_REQUEST_UP_TO
nominations: then a job writes it, and the reader is sent to /workbooks/ID, which shows how far it has got and
offers it once ready. So is a closed quarter's when a large one is not yet kept.
"""

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from lxml.etree import SerialisationError
from sqlalchemy.exc import OperationalError

from ..db import get_session, open_session
from ..enums import WorkbookState
from ..export import workbook_file_name, write_workbook
from ..hours import Quarter
from ..jobs import jobs, write_workbook_now
from ..models import Workbook, utc_now
from ..queries import closed_quarters, quarter_report, workbooks
from ..queries.reference import for_lists
from ..queries.reporting import parse_quarter
from ..services.workbooks import Ready, UnderWay, ask_for, queue_failed
from .auth import role_required
from .dashboard import REPORT_READERS, NoSuchSite, site_asked
from .downloads import TYPES, send_written
from .errors import draw
from .rendering import named, render, wants_fragment

bp = Blueprint("reports", __name__)
POLL_SECONDS = 2  # how often the page of a workbook under way asks how far it has got
STOP_POLLING = 286  # htmx's status for "swap this in and ask no more"


@bp.get("/reports/<quarter>.xlsx")
@role_required(*REPORT_READERS)
def workbook(quarter):
    session = get_session()
    try:
        chosen = parse_quarter(session=session, text=quarter)
    except ValueError as error:
        return draw("There is no such quarter", f"{error}.", 404), 404
    try:
        site_id = site_asked(session, request.args.get("site", ""))
        answer = workbook_for(chosen, current_user, site_id)
    except (NoSuchSite, quarter_report.NotClosedBySite) as refused:
        return draw("There is no such workbook", f"{refused}.", 404), 404
    if answer is None:
        return write_now(chosen, current_user, site_id)
    if isinstance(answer, Ready):
        return send_kept(answer.workbook)
    return redirect(url_for("reports.under_way", workbook_id=answer.workbook.id), code=303)


@bp.get("/workbooks/<int:workbook_id>")
@role_required(*REPORT_READERS)
def under_way(workbook_id):
    """How far the workbook has got, asked again every POLL_SECONDS by htmx while it is written; then its link."""
    if wants_fragment() and get_session().get(Workbook, workbook_id) is None:
        # Forgotten while its page polled (the quarter reopened, a text redacted): 286 tells htmx to stop asking.
        return render_template("reports/_workbook_gone.html"), STOP_POLLING
    found = _readers_own(workbook_id)
    return render("reports/workbook.html", "reports/_workbook_progress.html", workbook=found,
                  quarter=parse_quarter(session=get_session(), text=found.quarter), poll=POLL_SECONDS,
                  site=dict(for_lists(session=get_session()).sites).get(found.site_id),
                  stalled=workbooks.stalled(found, utc_now()))


@bp.get("/workbooks/<int:workbook_id>.xlsx")
@role_required(*REPORT_READERS)
def kept_file(workbook_id):
    found = _readers_own(workbook_id)
    if found.state != WorkbookState.READY:
        return redirect(url_for("reports.under_way", workbook_id=workbook_id), code=303)
    return send_kept(found)


def workbook_for(quarter: Quarter, reader, site_id: int | None = None) -> Ready | UnderWay | None:
    """The kept or prepared workbook that answers the reader, once queued (or written here, when small enough to
    write while they wait); None: write it in the request. The request's own session is read-only, so what is
    asked for is written in a session of its own, as a token's last use is (views/api.py). Raises
    quarter_report.NotClosedBySite for a site whose report the closed quarter did not store."""
    app = current_app._get_current_object()
    closing = closed_quarters.closing_of(session=get_session(), quarter=quarter)
    if closing and site_id is not None:
        quarter_report.decode(closing, site_id)  # the site's stored report, or NotClosedBySite before any job
    with open_session(app.extensions["db_engine"]) as writer:
        answer = ask_for(session=writer, quarter_key=quarter.key, closing_id=closing.id if closing else None,
                         reader_id=reader.id, in_request_up_to=app.config["WORKBOOK_IN_REQUEST_UP_TO"],
                         site_id=site_id)
    if not isinstance(answer, UnderWay) or not answer.new:
        return answer
    if not answer.at_once:
        try:
            jobs().write_workbook(answer.workbook.id)
        except Exception:  # the queue's store is down: its page says so, rather than waiting for ever
            current_app.logger.exception("The workbook's job could not be queued")
            with open_session(app.extensions["db_engine"]) as writer:
                queue_failed(writer, answer.workbook.id)
        return answer
    write_workbook_now(app, answer.workbook.id)
    with open_session(app.extensions["db_engine"], read_only=True) as reading:
        written = reading.get(Workbook, answer.workbook.id)
    return Ready(written) if written.state == WorkbookState.READY else UnderWay(written, new=False)


def write_now(quarter: Quarter, reader, site_id: int | None = None):
    """The workbook written while the reader waits; a 503 page, with nothing sent, when the disk is full."""
    return send_written(lambda file: write_workbook(session=get_session(), quarter=quarter, destination=file,
                                                    generated_by=named(reader), site_id=site_id),
                        mimetype=TYPES["xlsx"], download_name=file_name(quarter, site_id), what="The workbook",
                        failures=(OSError, OperationalError, SerialisationError))


def file_name(quarter: Quarter, site_id: int | None) -> str:
    return workbook_file_name(quarter, site_id, dict(for_lists(session=get_session()).sites).get(site_id))


def send_kept(kept: Workbook) -> Response:
    """The kept file, a part at a time, each read in a short transaction of its own."""
    engine = current_app.extensions["db_engine"]

    def parts():
        position = sent = 0
        while sent < kept.size:
            with open_session(engine, read_only=True) as session:
                data = workbooks.part(session=session, workbook_id=kept.id, position=position)
            if data is None:  # forgotten while sent (reopened, redacted): the connection is cut, not the file
                raise RuntimeError(f"Workbook {kept.id} was forgotten while it was sent.")
            yield data
            position, sent = position + 1, sent + len(data)

    quarter = parse_quarter(session=get_session(), text=kept.quarter)
    response = Response(parts(), mimetype=TYPES["xlsx"])
    response.headers["Content-Length"] = str(kept.size)
    response.headers.set("Content-Disposition", "attachment", filename=file_name(quarter, kept.site_id))
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _readers_own(workbook_id: int) -> Workbook:
    """A kept workbook, or the reader's own; 404 for another's, which names them."""
    found = get_session().get(Workbook, workbook_id)
    if found is None or found.requested_by_id not in (None, current_user.id):
        abort(404)
    return found
