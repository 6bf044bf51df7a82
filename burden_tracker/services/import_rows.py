"""Reading one spreadsheet row into a checked nomination, or into a list of reasons why not.

Pure: no database. Names of departments, categories and submitters are checked later, in one
query each, by services/importer.py.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from pydantic import ValidationError

from ..enums import AffectedRole, RequirementSource, State
from ..schemas import NominationIn, field_errors

COLUMNS = (
    "title", "description", "category", "department", "affected_role", "minutes_per_occurrence",
    "occurrences_per_week", "clinicians_affected", "requirement_source", "submitted_by", "submitted_on",
    "status", "retired_on", "decision_note", "anonymous", "decided_on",
)
REQUIRED_COLUMNS = COLUMNS[:9]
IMPORTABLE_STATES = (State.PROPOSED, State.EVALUATED, State.RETIRED, State.REJECTED)
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0", ""}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def column_key(header) -> str:
    """`Minutes per occurrence`, `MINUTES_PER_OCCURRENCE` and `minutesPerOccurrence` are one column."""
    return re.sub(r"[\s_]+", "", str(header or "")).casefold()


COLUMN_BY_KEY = {column_key(name): name for name in COLUMNS}


@dataclass
class RowError:
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.column}: {self.reason}"


@dataclass
class ParsedRow:
    row: int
    nomination: NominationIn
    status: State
    submitted_by: str | None
    retired_on: date | None
    decided_on: date | None
    decision_note: str | None
    errors: list[RowError] = field(default_factory=list)


def is_blank(values: dict) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values.values())


def parse_row(row: int, values: dict, *, today: date) -> ParsedRow | list[RowError]:
    """values maps column names to cell values as the reader gave them (str, number, date)."""
    errors: list[RowError] = []

    def convert(column, converter):
        raw = values.get(column)
        try:
            return converter(raw)
        except ValueError as error:
            errors.append(RowError(row, column, str(error)))
            return None

    text = {c: _text(values.get(c)) for c in ("title", "description", "category", "department",
                                                "decision_note", "submitted_by")}
    affected_role = convert("affected_role", lambda v: AffectedRole.from_label(_text(v)))
    source = convert("requirement_source", lambda v: RequirementSource.from_label(_text(v)))
    status = convert("status", _status)
    anonymous = convert("anonymous", _yes_no)
    submitted_on = convert("submitted_on", _optional_date) or today
    retired_on = convert("retired_on", _optional_date)
    decided_on = convert("decided_on", _optional_date)

    try:
        nomination = NominationIn.model_validate({
            "title": text["title"], "description": text["description"],
            "category": text["category"], "department": text["department"],
            "affected_role": affected_role or AffectedRole.OTHER,
            "requirement_source": source or RequirementSource.UNKNOWN,
            "minutes_per_occurrence": _number(values.get("minutes_per_occurrence")),
            "occurrences_per_week": _number(values.get("occurrences_per_week")),
            "clinicians_affected": _number(values.get("clinicians_affected")),
            "anonymous": bool(anonymous), "submitted_on": submitted_on,
        })
    except ValidationError as error:
        errors.extend(RowError(row, column, reason) for column, reason in field_errors(error).items())
        nomination = None

    errors.extend(_date_errors(row, status, submitted_on, retired_on, decided_on, today))
    if errors:
        return errors
    return ParsedRow(row, nomination, status, text["submitted_by"], retired_on, decided_on or submitted_on,
                     text["decision_note"])


def _date_errors(row, status, submitted_on, retired_on, decided_on, today) -> list[RowError]:
    errors = []
    if submitted_on > today:
        errors.append(RowError(row, "submitted_on", "is in the future"))
    if status is State.RETIRED and retired_on is None:
        errors.append(RowError(row, "retired_on", "is required when the status is retired"))
    if status not in (None, State.RETIRED) and retired_on is not None:
        errors.append(RowError(row, "retired_on", "is only for retired rows"))
    if retired_on is not None and retired_on < submitted_on:
        errors.append(RowError(row, "retired_on", "is before submitted_on"))
    if decided_on is not None:
        if status not in (State.EVALUATED, State.REJECTED):
            errors.append(RowError(row, "decided_on", "is only for evaluated and rejected rows"))
        elif decided_on < submitted_on:
            errors.append(RowError(row, "decided_on", "is before submitted_on"))
    return errors


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _number(value):
    """Leave numbers and number-like text for pydantic to judge; a blank cell is a missing value."""
    if isinstance(value, str):
        return value.strip() or None
    return value


def _status(value) -> State:
    text = _text(value)
    if text is None:
        return State.PROPOSED
    state = State.from_label(text)
    if state not in IMPORTABLE_STATES:
        raise ValueError(f"must be one of: {', '.join(s.value for s in IMPORTABLE_STATES)}")
    return state


def _yes_no(value) -> bool:
    if isinstance(value, bool):
        return value
    text = (_text(value) or "").casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError("must be yes or no")


def _optional_date(value) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError("must be a date like 2026-07-01")
