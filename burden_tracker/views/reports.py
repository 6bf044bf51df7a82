"""The quarterly workbook for download at /reports/2026-Q3.xlsx (board, executives, admins).

The workbook is written to a temporary file, which is then streamed to the browser and removed;
openpyxl's write-only mode keeps memory flat however large the program is.
"""

import tempfile

from flask import Blueprint, current_app, send_file
from flask_login import current_user
from lxml.etree import SerialisationError
from sqlalchemy.exc import OperationalError

from ..db import get_session
from ..export import write_workbook
from ..queries.reporting import parse_quarter
from .auth import role_required
from .dashboard import REPORT_READERS
from .errors import draw
from .rendering import named

bp = Blueprint("reports", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/reports/<quarter>.xlsx")
@role_required(*REPORT_READERS)
def workbook(quarter):
    session = get_session()
    try:
        chosen = parse_quarter(session=session, text=quarter)
    except ValueError as error:
        return draw("There is no such quarter", f"{error}.", 404), 404
    file = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - send_file closes it once it is sent
    try:
        write_workbook(session=session, quarter=chosen, destination=file,
                       generated_by=named(current_user))
    except (OSError, OperationalError, SerialisationError):  # a full disk, as the file system, the database
        # or lxml (which wraps the OSError of a failed write) says it
        file.close()
        current_app.logger.exception("The %s workbook could not be written", chosen)
        return draw("The workbook could not be written", "The server could not write it (its disk may be full). "
                    "Nothing was sent; try again later or tell your administrator.", 503), 503
    except BaseException:
        file.close()
        raise
    file.seek(0)
    response = send_file(file, mimetype=XLSX, as_attachment=True, download_name=f"burden-tracker-{chosen}.xlsx")
    response.headers["Cache-Control"] = "private, no-store"  # names and costs: no shared cache keeps a copy
    return response
