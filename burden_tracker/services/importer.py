"""Importing nominations from a spreadsheet (.xlsx first sheet, or UTF-8 .csv): all or nothing.

Rows are history: their state is taken as recorded, without the guards of live moves, and
each gets one event dated as recorded. Every bad row is reported by its row number in the
sheet, its column and the reason, and then nothing at all is written.
"""

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import func, insert, select
from sqlmodel import Session

from ..enums import EventKind, Role, State
from ..errors import DomainError
from ..models import Category, Department, Event, Nomination, User, UserRole
from .import_rows import COLUMN_BY_KEY, REQUIRED_COLUMNS, ParsedRow, RowError, column_key, is_blank, parse_row
from .users import normalize_email

Progress = Callable[[int], None]  # told how many more rows are done


@dataclass
class ImportReport:
    rows: int = 0
    imported: int = 0
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    created: dict[str, list[str]] = field(default_factory=lambda: {"departments": [], "categories": [],
                                                                   "users": []})

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Table:
    headers: list
    rows: list[tuple[int, tuple]]  # (row number in the sheet, cell values)


def read_table(path: Path) -> Table:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open(newline="", encoding="utf-8-sig") as handle:
            lines = list(csv.reader(handle))
    elif suffix in (".xlsx", ".xlsm"):
        book = load_workbook(path, read_only=True, data_only=True)
        try:
            lines = [tuple(row) for row in book.worksheets[0].iter_rows(values_only=True)]
        finally:
            book.close()
    else:
        raise DomainError(f"{path.name}: import reads .xlsx or .csv files.")
    if not lines:
        raise DomainError(f"{path.name} is empty: the first row must name the columns.")
    return Table(list(lines[0]), [(number, tuple(values)) for number, values in enumerate(lines[1:], start=2)])


def import_file(*, session: Session, path: Path, create_missing=False, dry_run=False,
                progress: Progress | None = None, today: date | None = None) -> ImportReport:
    try:
        table = read_table(path)
    except (UnicodeDecodeError, csv.Error) as error:
        raise DomainError(f"{path.name} could not be read as UTF-8 CSV: {error}") from None
    return import_table(session=session, table=table, source=path.name, create_missing=create_missing,
                        dry_run=dry_run, progress=progress, today=today)


def import_table(*, session: Session, table: Table, source: str, create_missing=False, dry_run=False,
                 progress: Progress | None = None, today: date | None = None) -> ImportReport:
    today = today or date.today()
    report = ImportReport(dry_run=dry_run)
    columns = _map_columns(table.headers, report)
    if report.errors:
        return report
    parsed = []
    for number, values in table.rows:
        record = {name: values[i] if i < len(values) else None for i, name in columns.items()}
        if not is_blank(record):
            result = parse_row(number, record, today=today)
            if isinstance(result, list):
                report.errors.extend(result)
            else:
                parsed.append(result)
            report.rows += 1
        _tick(progress)
    if report.errors:
        return report
    writer = _Writer(session, report, create_missing)
    lookups = writer.resolve_names(parsed)
    if report.errors or dry_run:
        session.rollback()
        report.imported = 0 if report.errors else len(parsed)
        return report
    writer.insert(parsed, lookups, source)
    session.commit()
    return report


def _tick(progress: Progress | None) -> None:
    if progress:
        progress(1)


def _map_columns(headers: list, report: ImportReport) -> dict[int, str]:
    columns: dict[int, str] = {}
    for index, header in enumerate(headers):
        name = COLUMN_BY_KEY.get(column_key(header))
        if name is None:
            if header is not None and str(header).strip():
                report.warnings.append(f"Column “{header}” is not one the importer knows; it was ignored.")
        elif name in columns.values():
            report.errors.append(RowError(1, name, "appears twice in the header row"))
        else:
            columns[index] = name
    for name in REQUIRED_COLUMNS:
        if name not in columns.values():
            report.errors.append(RowError(1, name, "column is missing from the header row"))
    return columns


@dataclass
class _Lookups:
    categories: dict[str, int]
    departments: dict[str, int]
    users: dict[str, int]


class _Writer:
    """Resolves names to ids (creating what is allowed) and bulk-inserts, in the caller's transaction."""

    def __init__(self, session: Session, report: ImportReport, create_missing: bool):
        self.session, self.report, self.create_missing = session, report, create_missing

    def resolve_names(self, parsed: list[ParsedRow]) -> _Lookups:
        return _Lookups(
            categories=self._named(Category, "category", parsed, "categories"),
            departments=self._named(Department, "department", parsed, "departments"),
            users=self._submitters(parsed),
        )

    def _named(self, model, column: str, parsed: list[ParsedRow], plural: str) -> dict[str, int]:
        known = {name.casefold(): id_ for id_, name in self.session.execute(select(model.id, model.name))}
        unknown = [row for row in parsed if getattr(row.nomination, column).casefold() not in known]
        if not unknown:
            return known
        if not self.create_missing:
            self.report.errors.extend(
                RowError(row.row, column,
                         f"“{getattr(row.nomination, column)}” is not a {column} we know (--create-missing adds it)")
                for row in unknown
            )
            return known
        first_spelling = {}
        for row in unknown:
            name = getattr(row.nomination, column)
            first_spelling.setdefault(name.casefold(), name)
        names = list(first_spelling.values())
        self.report.created[plural] = names
        new = self.session.execute(insert(model).returning(model.id, model.name), [{"name": n} for n in names])
        return known | {name.casefold(): id_ for id_, name in new}

    def _submitters(self, parsed: list[ParsedRow]) -> dict[str, int]:
        emails: dict[str, str] = {}
        for row in parsed:
            if row.submitted_by:
                try:
                    emails[row.submitted_by] = normalize_email(row.submitted_by)
                except DomainError:
                    self.report.errors.append(RowError(row.row, "submitted_by", "is not an email address"))
        wanted = set(emails.values())
        known = {email: id_ for id_, email in self.session.execute(
            select(User.id, func.lower(User.email)).where(func.lower(User.email).in_(wanted)))}
        to_create = sorted(wanted - known.keys())
        if to_create and not self.report.errors:
            new = dict(self.session.execute(
                insert(User).returning(User.email, User.id),
                [{"email": email, "active": False} for email in to_create],
            ).all())
            self.session.execute(insert(UserRole), [{"user_id": id_, "role": Role.STAFF} for id_ in new.values()])
            known |= new
            self.report.created["users"] = to_create
        return {raw: known.get(email) for raw, email in emails.items()}

    def insert(self, parsed: list[ParsedRow], lookups: _Lookups, source: str) -> None:
        nominations = [_nomination_values(row, lookups) for row in parsed]
        ids = self.session.execute(
            insert(Nomination).returning(Nomination.id, sort_by_parameter_order=True), nominations
        ).scalars().all()
        events = [_event_values(id_, row, source) for id_, row in zip(ids, parsed, strict=True)]
        self.session.execute(insert(Event), events)
        self.report.imported = len(ids)


def _nomination_values(row: ParsedRow, lookups: _Lookups) -> dict:
    data = row.nomination
    estimate = {  # an imported estimate serves as both the submitter's and the board's
        "board_minutes_per_occurrence": data.minutes_per_occurrence,
        "board_occurrences_per_week": data.occurrences_per_week,
        "board_clinicians_affected": data.clinicians_affected,
    }
    decided = row.status in (State.EVALUATED, State.RETIRED)
    return {
        **data.model_dump(exclude={"category", "department"}),
        **estimate,
        "category_id": lookups.categories[data.category.casefold()],
        "department_id": lookups.departments[data.department.casefold()],
        "submitter_id": lookups.users.get(row.submitted_by) if row.submitted_by else None,
        "state": row.status,
        "version": 1,
        "confirmed_source": data.requirement_source if decided else None,
        "evaluation_note": row.decision_note if row.status is State.EVALUATED else None,
        "retired_on": row.retired_on,
        "what_changed": row.decision_note if row.status is State.RETIRED else None,
        "rejection_rationale": row.decision_note if row.status is State.REJECTED else None,
    }


def _event_values(nomination_id: int, row: ParsedRow, source: str) -> dict:
    recorded = {State.RETIRED: row.retired_on, State.PROPOSED: row.nomination.submitted_on}.get(
        row.status, row.decided_on)
    note = f"Imported from {source}." + (f" {row.decision_note}" if row.decision_note else "")
    return {
        "nomination_id": nomination_id, "kind": EventKind.IMPORTED, "to_state": row.status,
        "at": datetime.combine(recorded, time(), tzinfo=UTC), "note": note,
    }

