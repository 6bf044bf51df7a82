"""Reading one spreadsheet row into a checked nomination, and the reasons why not. The history its state implies
is services/import_history.py.

Pure: no database. Names of departments, categories, sites and submitters are checked later, in one
query each, by services/importer.py: for bad rows too, so that one report lists every fault.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from pydantic import ValidationError

from ..ehr_metrics import METRICS, name_key
from ..enums import AffectedRole, Outcome, RequirementSource, State
from ..errors import DomainError
from ..schemas import NominationIn, field_errors
from .users import normalize_email

COLUMNS = (
    "title", "description", "category", "department", "affected_role", "minutes_per_occurrence",
    "occurrences_per_week", "clinicians_affected", "requirement_source", "submitted_by", "submitted_on",
    "status", "retired_on", "decision_note", "anonymous", "decided_on", "suggested_change",
    "measured_metric", "affected_departments", "outcome", "site",
)
REQUIRED_COLUMNS = COLUMNS[:9]
NAMED_COLUMNS = ("category", "department", "site")  # names of rows in tables an admin manages
_TEXT_COLUMNS = ("title", "description", "category", "department", "decision_note", "suggested_change", "site")
SITE_NAME_MAX = 120
IMPORTABLE_STATES = (State.PROPOSED, State.EVALUATED, State.RETIRED, State.REJECTED)
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0", ""}
# A date, or a date and time as a program writes a datetime to CSV (2026-07-01 00:00:00).
_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$")


def column_key(header) -> str:
    """`Minutes per occurrence`, `MINUTES_PER_OCCURRENCE` and `minutesPerOccurrence` are one column."""
    return re.sub(r"[\s_]+", "", str(header or "")).casefold()


COLUMN_BY_KEY = {column_key(name): name for name in COLUMNS}


def column_for(header) -> str | None:
    """The column a header names, or None for one the importer does not know."""
    return COLUMN_BY_KEY.get(column_key(header))


@dataclass
class RowError:
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.column}: {self.reason}"


@dataclass
class ParsedRow:
    """A row as read: `nomination` is None when `errors` holds anything."""

    row: int
    nomination: NominationIn | None
    status: State | None
    submitter_email: str | None  # normalized, as stored on User
    retired_on: date | None
    decided_on: date | None
    decision_note: str | None
    names: dict[str, str] = field(default_factory=dict)  # category, department and site, still to be looked up
    errors: list[RowError] = field(default_factory=list)
    measured_metric: str | None = None  # the EHR metric its retirement should move
    affected: tuple[str, ...] = ()  # names of the departments it affects, still to be looked up
    outcome: Outcome | None = None  # how a retired row was resolved, when the sheet says


def is_blank(values: dict) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values.values())


def parse_row(row: int, values: dict, *, today: date) -> ParsedRow:
    """values maps column names to cell values as the reader gave them (str, number, date)."""
    errors: list[RowError] = []

    def convert(column, converter):
        try:
            return converter(values.get(column))
        except ValueError as error:
            errors.append(RowError(row, column, str(error)))
            return None

    text = {c: _text(values.get(c)) for c in _TEXT_COLUMNS}
    affected_role = convert("affected_role", _affected_role)
    source = convert("requirement_source", _requirement_source)
    status = convert("status", _status)
    anonymous = convert("anonymous", _yes_no)
    submitter_email = convert("submitted_by", _email)
    errors_before = len(errors)
    given_submitted_on = convert("submitted_on", _optional_date)
    submitted_on = given_submitted_on or today
    unreadable_submitted_on = len(errors) > errors_before
    retired_on = convert("retired_on", _optional_date)
    decided_on = convert("decided_on", _optional_date)
    measured_metric = convert("measured_metric", _metric)
    outcome = convert("outcome", _outcome)
    if outcome is not None and status is not State.RETIRED:
        errors.append(RowError(row, "outcome", "is only for retired rows"))
    if text["site"] and len(text["site"]) > SITE_NAME_MAX:
        errors.append(RowError(row, "site", f"must be at most {SITE_NAME_MAX} characters"))
    affected = _departments_named(values.get("affected_departments"))
    if affected and values.get("measured_metric") in (None, ""):
        errors.append(RowError(row, "affected_departments", "names departments but no measured_metric"))

    nomination = None
    try:
        nomination = _validate_nomination({
            "title": text["title"], "description": text["description"],
            "category": text["category"], "department": text["department"],
            "affected_role": affected_role or AffectedRole.OTHER,
            "requirement_source": source or RequirementSource.UNKNOWN,
            "minutes_per_occurrence": _number(values.get("minutes_per_occurrence")),
            "occurrences_per_week": _number(values.get("occurrences_per_week")),
            "clinicians_affected": _number(values.get("clinicians_affected")),
            "suggested_change": text["suggested_change"],
            "anonymous": bool(anonymous), "submitted_on": submitted_on,
        })
    except ValidationError as error:
        errors.extend(RowError(row, column, reason) for column, reason in field_errors(error).items())

    errors.extend(_date_errors(row, status, None if unreadable_submitted_on else submitted_on,
                               given_submitted_on is None, retired_on, decided_on, today))
    faulty = {e.column for e in errors} if errors else ()
    names = {c: text[c] for c in NAMED_COLUMNS if text[c] and c not in faulty}
    return ParsedRow(row, None if errors else nomination, status, submitter_email, retired_on,
                     decided_on or submitted_on, text["decision_note"], names, errors, measured_metric, affected,
                     outcome)


def _validate_nomination(values: dict) -> NominationIn:
    """NominationIn.model_validate(values), at half the cost, which counts over thousands of rows.

    SQLModel models have an __init__ of their own, so pydantic validates through it and runs the
    model's validators twice; handing pydantic the new object, as BaseModel.__init__ does, runs them once.
    """
    nomination = NominationIn.__new__(NominationIn)
    NominationIn.__pydantic_validator__.validate_python(values, self_instance=nomination)
    return nomination


def _date_errors(row, status, submitted_on, defaulted, retired_on, decided_on, today) -> list[RowError]:
    """submitted_on is None when it could not be read: then nothing is compared with it."""
    errors = []
    if submitted_on is not None and submitted_on > today:
        errors.append(RowError(row, "submitted_on", "is in the future"))
    if status is State.RETIRED and retired_on is None:
        errors.append(RowError(row, "retired_on", "is required when the status is retired"))
    if status not in (None, State.RETIRED) and retired_on is not None:
        errors.append(RowError(row, "retired_on", "is only for retired rows"))
    if retired_on is not None and submitted_on is not None and retired_on < submitted_on:
        errors.append(RowError(row, "retired_on", _before_submitted_on(defaulted, today)))
    if decided_on is not None:
        if status not in (None, State.EVALUATED, State.REJECTED):
            errors.append(RowError(row, "decided_on", "is only for evaluated and rejected rows"))
        elif submitted_on is not None and decided_on < submitted_on:
            errors.append(RowError(row, "decided_on", _before_submitted_on(defaulted, today)))
        elif decided_on > today:
            errors.append(RowError(row, "decided_on", "is in the future"))
    return errors


def _before_submitted_on(defaulted: bool, today: date) -> str:
    # A sheet without submission dates gets today's, and then every past decision is "before" it: say so.
    return "is before submitted_on" + (f", which is empty and so taken as today ({today.isoformat()})"
                                       if defaulted else "")


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


# A sheet repeats a handful of labels, dates and emails thousands of times, so each reading is kept.
# typed=True: a cell's TRUE must not be taken for an earlier 1, nor 1.0 for 1.
@lru_cache(maxsize=256, typed=True)
def _label(vocabulary, value):
    text = _text(value)
    if text is None:
        raise ValueError("is required")
    return vocabulary.from_label(text)


def _affected_role(value) -> AffectedRole:
    return _label(AffectedRole, value)


def _requirement_source(value) -> RequirementSource:
    return _label(RequirementSource, value)


def _number(value):
    """Leave numbers and number-like text for pydantic to judge; a blank cell is a missing value."""
    if isinstance(value, bool):  # an Excel TRUE is not the number 1
        return str(value)
    if isinstance(value, str):
        return value.strip() or None
    return value


@lru_cache(maxsize=256, typed=True)
def _status(value) -> State:
    text = _text(value)
    if text is None:
        return State.PROPOSED
    allowed = ", ".join(s.value for s in IMPORTABLE_STATES)
    try:
        state = State.from_label(text)
    except ValueError:
        raise ValueError(f"must be one of: {allowed}") from None
    if state not in IMPORTABLE_STATES:
        raise ValueError(f"must be one of: {allowed} ({state.value} nominations are not imported)")
    return state


@lru_cache(maxsize=256, typed=True)
def _yes_no(value) -> bool:
    if isinstance(value, bool):
        return value
    text = (_text(value) or "").casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError("must be yes or no")


def _outcome(value) -> Outcome | None:
    """How a retirement resolved its burden, in any case; blank: not recorded."""
    text = _text(value)
    return None if text is None else Outcome.from_label(text)


def _metric(value) -> str | None:
    """A canonical metric, in any case and spacing (WOW8, wow 8); blank: none."""
    text = _text(value)
    found = next((key for key in METRICS if name_key(key) == name_key(text)), None)
    if text is not None and found is None:
        raise ValueError(f"“{text}” is not a metric Burden Tracker measures: one of {', '.join(METRICS)}")
    return found


def _departments_named(value) -> tuple[str, ...]:
    """Department names separated by semicolons, each once."""
    names = [name.strip() for name in (_text(value) or "").split(";")]
    return tuple(dict.fromkeys(name for name in names if name))


@lru_cache(maxsize=4096, typed=True)
def _email(value) -> str | None:
    text = _text(value)
    if text is None:
        return None
    try:
        return normalize_email(text)
    except DomainError:
        raise ValueError(f"“{text}” is not an email address") from None


@lru_cache(maxsize=4096, typed=True)
def _optional_date(value) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and (match := _ISO_DATE.match(value.strip())):
        try:
            return date.fromisoformat(match[1])
        except ValueError:
            pass
    raise ValueError("must be a date like 2026-07-01")
