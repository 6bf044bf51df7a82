"""A list taken away as a file: /nominations.csv, /nominations.xlsx, /board.csv and /board.xlsx. The list's own
view reads the filters from the same query string as its page; this writes the file (list_files.py) to a
temporary file and sends it."""

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
NAMED_BY_ID = {"department": "departments", "category": "categories", "owner": "owners"}


def send_list(file_type: str, rows, columns, *, name: str, title: str, about: list[tuple[str, str]]):
    """The rows as `name`-YYYY-MM-DD.csv or .xlsx; a 503 page when the server cannot write the file."""
    zone = for_lists(session=get_session()).time_zone
    now = hours.on_clocks_of(datetime.now(UTC), zone)
    about = [("List", title), *about, ("Exported", f"{now:%Y-%m-%d %H:%M %Z}"), ("Exported by", named(current_user))]
    file = tempfile.TemporaryFile(suffix=f".{file_type}")  # noqa: SIM115 - send_file closes it once it is sent
    try:
        if file_type == "csv":
            write_csv(rows, columns, file)
        else:
            write_workbook(rows, columns, file, title=title, about=about)
    except OSError:
        file.close()
        current_app.logger.exception("The %s list could not be written", name)
        return draw("The list could not be written", "The server could not write the file (its disk may be "
                    "full). Nothing was sent; try again later or tell your administrator.", 503), 503
    except BaseException:
        file.close()
        raise
    file.seek(0)
    response = send_file(file, mimetype=TYPES[file_type], as_attachment=True,
                         download_name=f"{name}-{now:%Y-%m-%d}.{file_type}")
    response.headers["Cache-Control"] = "private, no-store"  # names and costs: no shared cache keeps a copy
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
