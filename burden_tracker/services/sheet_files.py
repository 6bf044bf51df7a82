"""Reading a spreadsheet file (.xlsx first sheet, or UTF-8 .csv) into its header row and numbered rows, for the
nominations import and the EHR metrics import; a file sent from a page is read the same way."""

import csv
import gc
import re
import shutil
import tempfile
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from ..errors import DomainError


@dataclass
class Table:
    headers: list
    rows: list[tuple[int, tuple]]  # (row number in the sheet, cell values)


@contextmanager
def cycle_collector_paused():
    """Reading and checking a large sheet makes millions of objects, and hundreds of thousands of them live
    until the import ends. Python's cycle collector would walk them over and over, with everything else the
    process holds: about a quarter of an import's time. Reference counting still frees what is dropped;
    the few cycles left (a workbook and its sheets) are collected once the collector resumes."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@cycle_collector_paused()
def read_table(path: Path) -> Table:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        lines = _read_csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        lines = _read_xlsx(path)
    else:
        raise DomainError(f"{path.name}: import reads .xlsx or .csv (UTF-8) files; save it as one of those.")
    if not lines:
        raise DomainError(f"{path.name} is empty: the first row must name the columns.")
    return Table(list(lines[0]), [(number, tuple(values)) for number, values in enumerate(lines[1:], start=2)])


def read_upload(stream, filename: str) -> Table:
    """A file sent from a page, read as read_table reads one on disk: its name's suffix says its kind."""
    sent = Path(filename or "file")
    name = re.sub(r"[^\w\- ]", "_", sent.stem)[:60] + re.sub(r"[^\w.]", "_", sent.suffix.lower())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / (name or "file")
        with path.open("wb") as copy:
            shutil.copyfileobj(stream, copy)
        return read_table(path)


def _read_csv(path: Path) -> list:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return list(csv.reader(handle))
    except UnicodeDecodeError:
        raise DomainError(f"{path.name} is not UTF-8 text: save it as “CSV UTF-8”, or as .xlsx.") from None
    except csv.Error as error:
        raise DomainError(f"{path.name} could not be read as CSV: {error}") from None


def _read_xlsx(path: Path) -> list:
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError):
        raise DomainError(f"{path.name} could not be opened as an Excel workbook (.xlsx).") from None
    try:
        sheet = book.worksheets[0]
        # Some programs record a wrong used range (often just A1); read what is really there.
        sheet.reset_dimensions()
        return list(sheet.iter_rows(values_only=True))  # tuples already
    finally:
        book.close()
