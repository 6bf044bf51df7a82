"""The quarterly workbook for download at /reports/2026-Q3.xlsx (board, executives, admins).

The workbook is written to a temporary file, which is then streamed to the browser and removed;
openpyxl's write-only mode keeps memory flat however large the program is.
"""

from flask import Blueprint
from flask_login import current_user
from lxml.etree import SerialisationError
from sqlalchemy.exc import OperationalError

from ..db import get_session
from ..export import write_workbook
from ..queries.reporting import parse_quarter
from .auth import role_required
from .dashboard import REPORT_READERS
from .downloads import TYPES, send_written
from .errors import draw
from .rendering import named

bp = Blueprint("reports", __name__)


@bp.get("/reports/<quarter>.xlsx")
@role_required(*REPORT_READERS)
def workbook(quarter):
    session = get_session()
    try:
        chosen = parse_quarter(session=session, text=quarter)
    except ValueError as error:
        return draw("There is no such quarter", f"{error}.", 404), 404
    # A full disk, as the file system, the database or lxml (which wraps the OSError of a failed write) says it.
    return send_written(lambda file: write_workbook(session=session, quarter=chosen, destination=file,
                                                    generated_by=named(current_user)),
                        mimetype=TYPES["xlsx"], download_name=f"burden-tracker-{chosen}.xlsx", what="The workbook",
                        failures=(OSError, OperationalError, SerialisationError))
