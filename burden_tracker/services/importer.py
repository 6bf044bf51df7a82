"""Importing nominations from a spreadsheet (.xlsx first sheet, or UTF-8 .csv): all or nothing.

Rows are history: their state is taken as recorded, without the guards of live moves, and
each gets one event dated as recorded. Every bad row is reported by its row number in the
sheet, its column and the reason, and then nothing at all is written. A dry run checks the
same way and writes nothing either.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import cast, func, insert, select
from sqlalchemy.dialects.postgresql import REGCLASS
from sqlmodel import Session

from ..enums import Role, State
from ..models import AffectedDepartment, Category, Department, Event, EventNote, Nomination, Site, User, UserRole
from ..queries.reference import first_site_id, for_lists, organization_today
from .import_history import history
from .import_rows import COLUMNS, REQUIRED_COLUMNS, ParsedRow, RowError, column_for, is_blank, parse_row
from .keeping import count_kept_afresh, counting_change
from .sheet_files import Table, cycle_collector_paused, read_table

Progress = Callable[[int], None]  # told how many more rows are done
# Sites first: a department made by the import is made at the site its rows name.
_MODELS = {"site": (Site, "sites"), "category": (Category, "categories"), "department": (Department, "departments")}
_EMAILS_PER_QUERY = 500  # well under every database's limit of bound parameters
_ROWS_PER_INSERT = 5_000  # so that only one batch of rows is held as parameters at a time
_PROGRESS_EVERY = 500  # rows per progress report: a bar needs no finer steps, and each costs a redraw


@dataclass
class ImportReport:
    rows: int = 0
    imported: int = 0
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    created: dict[str, list[str]] = field(default_factory=lambda: {"sites": [], "departments": [], "categories": [],
                                                                   "users": []})

    @property
    def ok(self) -> bool:
        return not self.errors


def import_file(*, session: Session, path: Path, create_missing=False, dry_run=False,
                progress: Progress | None = None, today: date | None = None) -> ImportReport:
    return import_table(session=session, table=read_table(path), source=path.name, create_missing=create_missing,
                        dry_run=dry_run, progress=progress, today=today)


@cycle_collector_paused()
def import_table(*, session: Session, table: Table, source: str, create_missing=False, dry_run=False,
                 progress: Progress | None = None, today: date | None = None) -> ImportReport:
    today = today or organization_today(session=session)
    report = ImportReport(dry_run=dry_run)
    columns = _map_columns(table.headers, report)
    if report.errors:
        return report
    rows, told = [], 0
    for done, (number, values) in enumerate(table.rows, start=1):
        record = {name: values[i] if i < len(values) else None for i, name in columns.items()}
        if not is_blank(record):
            rows.append(parse_row(number, record, today=today))
        if progress and (done - told == _PROGRESS_EVERY or done == len(table.rows)):
            progress(done - told)
            told = done
    report.rows = len(rows)
    if not rows:
        report.warnings.append("The file has no rows under its header row: there was nothing to import.")
    names = _Names.load(session, rows)
    report.errors = sorted([e for r in rows for e in r.errors] + names.unknown(rows, create_missing)
                           + names.misplaced(rows, create_missing),
                           key=lambda e: (e.row, COLUMNS.index(e.column)))
    if report.errors:
        session.rollback()  # ends the reading transaction: on SQLite it holds the write lock
        return report
    report.created = names.to_create
    if dry_run:
        session.rollback()
        report.imported = len(rows)
        return report
    names.create(session)
    newer_than = session.scalar(select(func.max(Nomination.id))) or 0
    with counting_change(session, lambda ids: ids > newer_than, into_kept=False) as restated:
        restated.change = f"imported from {source}"
        report.imported = _insert(session, rows, names, source, for_lists(session=session).time_zone)
    count_kept_afresh(session=session)
    session.commit()
    return report


def _map_columns(headers: list, report: ImportReport) -> dict[int, str]:
    columns: dict[int, str] = {}
    for index, header in enumerate(headers):
        name = column_for(header)
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
class _Names:
    """Ids of the categories, departments and submitters the rows name, matched case-insensitively."""

    ids: dict[str, dict[str, int | None]]  # column -> casefolded name (or email) -> id; None: to create
    to_create: dict[str, list[str]]
    sites: dict[str, int | None] = field(default_factory=dict)  # casefolded department name -> its site's id
    new_at: dict[str, str] = field(default_factory=dict)  # casefolded new department -> the site its rows name

    @classmethod
    def load(cls, session: Session, rows: list[ParsedRow]) -> "_Names":
        ids = {column: {name.casefold(): id_ for id_, name in session.execute(select(model.id, model.name))}
               for column, (model, _plural) in _MODELS.items()}
        emails = sorted({r.submitter_email for r in rows if r.submitter_email})
        known_users = {}
        for start in range(0, len(emails), _EMAILS_PER_QUERY):
            wanted = emails[start:start + _EMAILS_PER_QUERY]
            known_users.update((email, id_) for id_, email in session.execute(
                select(User.id, func.lower(User.email)).where(func.lower(User.email).in_(wanted))))
        names = cls(ids | {"submitted_by": known_users}, {plural: [] for _model, plural in _MODELS.values()}
                    | {"users": []}, {name.casefold(): site_id for name, site_id
                                       in session.execute(select(Department.name, Department.site_id))})
        for row in rows:
            for column, name in [*row.names.items(), *(("department", name) for name in row.affected)]:
                if name.casefold() not in names.ids[column]:
                    names.ids[column][name.casefold()] = None
                    names.to_create[_MODELS[column][1]].append(name)  # first spelling wins
            if row.submitter_email and row.submitter_email not in known_users:
                known_users[row.submitter_email] = None
                names.to_create["users"].append(row.submitter_email)
        names.to_create["users"].sort()
        return names

    def unknown(self, rows: list[ParsedRow], create_missing: bool) -> list[RowError]:
        if create_missing:
            return []
        return [
            RowError(row.row, column, f"“{name}” is not a {column} we know (--create-missing adds it)")
            for row in rows for column, name in row.names.items() if self.ids[column][name.casefold()] is None
        ] + [
            RowError(row.row, "affected_departments", f"“{name}” is not a department we know (--create-missing "
                                                      "adds it)")
            for row in rows for name in row.affected if self.ids["department"][name.casefold()] is None
        ]

    def misplaced(self, rows: list[ParsedRow], create_missing: bool) -> list[RowError]:
        """Rows whose site is not their department's: a known department stays at its own site, and a new one is
        made at the one site its rows name."""
        errors = []
        for row in rows:
            site, department = row.names.get("site"), row.names.get("department")
            if not (site and department):
                continue
            known = self.ids["department"].get(department.casefold())
            site_id = self.ids["site"][site.casefold()]
            if known is not None and site_id is None and not create_missing:
                continue  # the unknown site is the row's error
            if known is not None and self.sites.get(department.casefold()) != site_id:
                errors.append(RowError(row.row, "site", f"“{department}” is at another site; leave the site empty "
                                                        "or name its own"))
            elif known is None and self.new_at.setdefault(department.casefold(), site).casefold() != site.casefold():
                errors.append(RowError(row.row, "site", f"names another site for “{department}” than an earlier row"))
        return errors

    def create(self, session: Session) -> None:
        first_site = first_site_id(session=session)
        for column, (model, plural) in _MODELS.items():
            if self.to_create[plural]:
                new = session.execute(insert(model.__table__).returning(model.id, model.name),
                                      [{"name": n, **self._placed(column, n, first_site)}
                                       for n in self.to_create[plural]])
                self.ids[column] |= {name.casefold(): id_ for id_, name in new}
        if self.to_create["users"]:  # staff accounts that cannot sign in until an admin activates them
            new = dict(session.execute(insert(User.__table__).returning(User.email, User.id),
                                       [{"email": email, "active": False} for email in self.to_create["users"]]).all())
            session.execute(insert(UserRole.__table__), [{"user_id": id_, "role": Role.STAFF} for id_ in new.values()])
            self.ids["submitted_by"] |= new

    def _placed(self, column: str, name: str, first_site: int | None) -> dict:
        """A new department's site: the one its rows name, or the first."""
        if column != "department":
            return {}
        site = self.new_at.get(name.casefold())
        return {"site_id": self.ids["site"][site.casefold()] if site else first_site}

    def id_of(self, column: str, name: str | None) -> int | None:
        return self.ids[column][name.casefold()] if name else None


def _insert(session: Session, rows: list[ParsedRow], names: _Names, source: str, zone: str) -> int:
    # Ids drawn up front let each batch go in by a plain Core executemany, without RETURNING, which the
    # driver runs in C (SQLite) or pipelined (psycopg): as a bare bulk insert of the same rows does.
    ids = _new_nomination_ids(session, len(rows)) if rows else []
    for start in range(0, len(rows), _ROWS_PER_INSERT):
        batch = list(zip(ids[start:start + _ROWS_PER_INSERT], rows[start:start + _ROWS_PER_INSERT], strict=True))
        session.execute(insert(Nomination.__table__), [_nomination_values(id_, row, names) for id_, row in batch])
        affected = [{"nomination_id": id_, "department_id": department} for id_, row in batch
                    for department in {names.id_of("department", name) for name in row.affected}]
        if affected:
            session.execute(insert(AffectedDepartment.__table__), affected)
        events = [event for id_, row in batch for event in history(id_, row, source, zone)]
        noted = [event for event in events if event["note"]]
        note_ids = session.scalars(insert(EventNote.__table__).returning(EventNote.id, sort_by_parameter_order=True),
                                   [{"body": event["note"]} for event in noted]).all()
        for event, note_id in zip(noted, note_ids, strict=True):
            event["note_id"] = note_id
        session.execute(insert(Event.__table__), [_without_note(event) for event in events])
    return len(rows)


def _new_nomination_ids(session: Session, count: int) -> list[int]:
    if session.get_bind().dialect.name == "postgresql":
        # Named once: nextval(pg_get_serial_sequence(...)) would look the sequence up again for every id.
        sequence = session.scalar(select(func.pg_get_serial_sequence(Nomination.__tablename__, "id")))
        return session.scalars(select(func.nextval(cast(sequence, REGCLASS)))
                               .select_from(func.generate_series(1, count))).all()
    # SQLite numbers a new row max(id) + 1. The import holds the write lock since its first read
    # (BEGIN IMMEDIATE), so no other writer can take these; a session that did not would fail, not mix rows.
    first = (session.scalar(select(func.max(Nomination.id))) or 0) + 1
    return list(range(first, first + count))


def _nomination_values(id_: int, row: ParsedRow, names: _Names) -> dict:
    data = row.nomination
    values = vars(data).copy()  # the validated fields; cheaper than model_dump, which walks them again
    category, department = values.pop("category"), values.pop("department")
    decided = row.status in (State.EVALUATED, State.RETIRED)
    looked_at = row.status is not State.PROPOSED  # by a board, before the spreadsheet was imported
    note = row.decision_note
    values.update(
        id=id_,
        # the estimate of a row a board decided serves as both the submitter's and the board's
        board_minutes_per_occurrence=data.minutes_per_occurrence if looked_at else None,
        board_occurrences_per_week=data.occurrences_per_week if looked_at else None,
        board_clinicians_affected=data.clinicians_affected if looked_at else None,
        category_id=names.id_of("category", category),
        department_id=names.id_of("department", department),
        submitter_id=names.id_of("submitted_by", row.submitter_email),
        state=row.status,
        version=1,
        confirmed_source=data.requirement_source if decided else None,
        evaluation_note=note if row.status is State.EVALUATED else None,
        retired_on=row.retired_on,
        what_changed=note if row.status is State.RETIRED else None,
        outcome=row.outcome,
        rejection_rationale=note if row.status is State.REJECTED else None,
        measured_metric=row.measured_metric,
    )
    return values


def _without_note(event: dict) -> dict:
    return {key: value for key, value in event.items() if key != "note"}
