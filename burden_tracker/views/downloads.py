"""A list taken away as a file: /nominations.csv, /nominations.xlsx, /board.csv and /board.xlsx. The list's own
view reads the filters from the same query string as its page; this writes the file (list_files.py) to a
temporary file and sends it, as the quarter's workbook is sent (views/reports.py)."""

import tempfile
from datetime import UTC, datetime

from flask import current_app, send_file
from flask_login import current_user

from .. import hours
from ..db import get_session
from ..list_files import write_csv, write_workbook
from ..queries.reference import for_lists
from .errors import draw
from .rendering import named

TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
NAMED_BY_ID = {"department": "departments", "site": "sites", "category": "categories", "owner": "owners"}


def send_list(file_type: str, rows, columns, *, name: str, title: str, about: list[tuple[str, str]]):
    """The rows as `name`-YYYY-MM-DD.csv or .xlsx."""
    zone = for_lists(session=get_session()).time_zone
    now = hours.on_clocks_of(datetime.now(UTC), zone)
    about = [("List", title), *about, ("Exported", f"{now:%Y-%m-%d %H:%M %Z}"), ("Exported by", named(current_user))]

    def write(file) -> None:
        if file_type == "csv":
            write_csv(rows, columns, file)
        else:
            write_workbook(rows, columns, file, title=title, about=about)

    return send_written(write, mimetype=TYPES[file_type], download_name=f"{name}-{now:%Y-%m-%d}.{file_type}",
                        what="The list")


def send_written(write, *, mimetype: str, download_name: str, what: str, failures=(OSError,)):
    """What write(file) writes into a temporary file, sent as a download that no shared cache keeps (names and
    costs); a 503 page, with nothing sent, when the server cannot write it (failures: a full disk, as each writer
    says it)."""
    file = tempfile.TemporaryFile()  # noqa: SIM115 - send_file closes it once it is sent
    try:
        write(file)
    except failures:
        file.close()
        current_app.logger.exception("%s (%s) could not be written", what, download_name)
        return draw(f"{what} could not be written", "The server could not write it (its disk may be full). "
                    "Nothing was sent; try again later or tell your administrator.", 503), 503
    except BaseException:
        file.close()
        raise
    file.seek(0)
    response = send_file(file, mimetype=mimetype, as_attachment=True, download_name=download_name)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def filters_in_words(query: dict, choices: dict, sort_labels: dict[str, str],
                     default_sort: str) -> list[tuple[str, str]]:
    """What the list was narrowed to, as the page's filters name it, for the file's "About this list"."""
    said = []
    for key, value in query.items():
        if key == "sort":
            continue
        names = {str(id_): label for id_, label in choices.get(NAMED_BY_ID.get(key, ""), ())}
        said.append((key.capitalize() if key != "q" else "Search", names.get(str(value), str(value))))
    return said + [("Sorted", sort_labels[query.get("sort", default_sort)])]
