"""The demo data set: data/demo.xlsx, loaded through the same importer as any spreadsheet.

The workbook's dates end at its "as_of" day; they are shifted so that they end today, so the
demo always spans the last six quarters.
"""

import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import insert, select
from sqlmodel import Session

from ..enums import Role, VoteChoice
from ..models import Comment, Department, Nomination, Site, Supporter, User, UserRole, Vote
from ..queries.reference import get_settings, organization_today
from ..workflow import Move
from .commons import import_cards
from .demo_metrics import add_demo_metrics
from .importer import import_table
from .reference import FIRST_SITE, ensure_reference_data
from .sheet_files import Table
from .transitions import move_nomination
from .users import hash_password

# data/ sits beside the package, as templates/ and static/ do: found from here, not from the app that serves them.
DEMO_WORKBOOK = Path(__file__).resolve().parents[2] / "data" / "demo.xlsx"
DEMO_CARDS = DEMO_WORKBOOK.with_name("demo_cards.json")  # burden cards "other health systems" shared: /commons
DEMO_PASSWORD = "demo-password"  # demo accounts only; they exist nowhere but a demo database
DEMO_TIME_ZONE = "America/Chicago"  # a health system's own clocks, an hour or more from the server's UTC
# A health system of two sites: the first holds every department the workbook names but these, made here first so
# that the import finds them in place.
DEMO_SITES = {"Lakeside Medical Center": (), "Riverbend Clinics": ("Primary Care", "Behavioral Health")}




def load_demo(*, session: Session, path: Path = DEMO_WORKBOOK, today: date | None = None) -> int:
    ensure_reference_data(session=session)
    get_settings(session=session).time_zone = DEMO_TIME_ZONE
    today = today or organization_today(session=session)
    sheets = _read_sheets(path)
    shift = today - sheets["About"][0]["as_of_value"]
    _add_sites(session)
    users = _add_users(session, sheets["Users"])
    report = import_table(session=session, table=_shifted(sheets["Nominations"], shift), source=path.name,
                          create_missing=True, today=today)
    if not report.ok:
        raise RuntimeError("The demo workbook does not import: " + "; ".join(map(str, report.errors[:5])))
    ids = dict(session.execute(select(Nomination.title, Nomination.id)).all())
    _add_activity(session, sheets, ids, users, shift)
    _make_later_moves(session, sheets["Later moves"], ids, users)
    add_demo_metrics(session=session, today=today)
    import_cards(session=session, text=_shifted_cards(shift))
    return report.imported


def _shifted_cards(shift: timedelta) -> str:
    """The demo's burden cards, retired as long before today as they were before the workbook's day."""
    document = json.loads(DEMO_CARDS.read_text(encoding="utf-8"))
    for card in document["cards"]:
        card["retired_on"] = (date.fromisoformat(card["retired_on"]) + shift).isoformat()
    return json.dumps(document)


def _add_sites(session: Session) -> None:
    """The first site named as the demo's, the others added with their departments: only in a database as every
    database begins, of one site and no department, and never in a health system's own."""
    sites = session.scalars(select(Site)).all()
    if [site.name for site in sites] != [FIRST_SITE] or session.scalar(select(Department.id).limit(1)):
        return
    (first, _), *others = DEMO_SITES.items()
    sites[0].name = first
    for name, departments in others:
        site = Site(name=name)
        session.add(site)
        session.flush()
        session.add_all(Department(name=department, site_id=site.id) for department in departments)
    session.commit()


def _read_sheets(path: Path) -> dict[str, list[dict]]:
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheets = {sheet.title: [tuple(r) for r in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}
    finally:
        book.close()
    about = dict((row[0], row[1]) for row in sheets.pop("About") if row and row[0])
    records = {
        name: [dict(zip(rows[0], row, strict=False)) for row in rows[1:] if any(v is not None for v in row)]
        for name, rows in sheets.items() if name != "Nominations"
    }
    records["About"] = [{"as_of_value": _as_date(about["as_of"])}]
    records["Nominations"] = sheets["Nominations"]
    return records


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def _shifted(rows: list[tuple], shift: timedelta) -> Table:
    def move(value):
        return _as_date(value) + shift if isinstance(value, date) else value

    return Table(list(rows[0]), [(n, tuple(move(v) for v in row)) for n, row in enumerate(rows[1:], start=2)])


def _add_users(session: Session, rows: list[dict]) -> dict[str, int]:
    password_hash = hash_password(DEMO_PASSWORD)  # one hash serves every demo account
    existing = dict(session.execute(select(User.email, User.id)).all())
    for row in rows:
        email = row["email"].lower()
        if email in existing:
            continue
        can_sign_in = str(row["can_sign_in"]).lower() == "yes"
        user = User(email=email, name=row["name"], active=can_sign_in,
                    password_hash=password_hash if can_sign_in else None)
        user.role_links = [UserRole(role=Role.from_label(r)) for r in str(row["roles"]).split(",")]
        session.add(user)
        session.flush()
        existing[email] = user.id
    session.commit()
    return existing


def _at(value, shift: timedelta) -> datetime:
    return datetime.combine(_as_date(value) + shift, time(9), tzinfo=UTC)


def _add_activity(session, sheets, ids, users, shift) -> None:
    # Per sheet: its table, the column naming the person, and the row's other values.
    activity = (
        ("Supporters", Supporter, "user_id",
         lambda r: {"occurrences_per_week": r["occurrences_per_week"], "created_at": _at(r["supported_on"], shift)}),
        ("Comments", Comment, "author_id", lambda r: {"body": r["body"], "created_at": _at(r["commented_on"], shift)}),
        ("Votes", Vote, "voter_id", lambda r: {"choice": VoteChoice.from_label(r["choice"])}),
    )
    for sheet, model, person, values in activity:
        rows = [{"nomination_id": ids[r["nomination_title"]], person: users[r["email"].lower()], **values(r)}
                for r in sheets[sheet]]
        if rows:
            session.execute(insert(model), rows)
    session.commit()


def _make_later_moves(session, rows, ids, users) -> None:
    """Withdrawals and duplicates go through the live workflow, as people would make them."""
    for row in rows:
        nomination_id = ids[row["nomination_title"]]
        version = session.scalar(select(Nomination.version).where(Nomination.id == nomination_id))
        fields = {"note": row.get("note")}
        if row.get("duplicate_of_title"):
            fields["duplicate_of"] = ids[row["duplicate_of_title"]]
        move_nomination(
            session=session, nomination_id=nomination_id, move=Move(row["move"]),
            actor=session.get(User, users[row["email"].lower()]), expected_version=version, fields=fields,
        )
