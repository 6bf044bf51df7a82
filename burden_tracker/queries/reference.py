"""The reference data as pages read it: the settings, the hourly rates, and the departments, categories and sites.

List pages read settings, departments and categories through `for_lists`, which each worker keeps
while the database's reference stamp is unchanged (models.ReferenceStamp, migration 0006). What every
database needs of it from the start is added by services/reference.py.
"""

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from sqlalchemy import Integer, func, literal, union_all
from sqlmodel import Session, select

from .. import hours
from ..enums import AffectedRole
from ..models import Category, Department, HourlyRate, ReferenceStamp, Settings, Site

# Starting points in USD, roughly US mean hourly wages; each program sets its own in settings.
DEFAULT_HOURLY_RATES = {
    AffectedRole.PHYSICIAN: 130.0,
    AffectedRole.APP: 65.0,
    AffectedRole.NURSE: 47.0,
    AffectedRole.MEDICAL_ASSISTANT: 21.0,
    AffectedRole.PHARMACIST: 66.0,
    AffectedRole.OTHER: 35.0,
}


def first_site_id(*, session: Session) -> int | None:
    """The site a department is given when none is chosen: the first active one (the one migration 0035 made, in a
    health system of one site)."""
    return session.exec(select(Site.id).order_by(Site.active.desc(), Site.id).limit(1)).first()


def get_settings(*, session: Session) -> Settings:
    return session.exec(_THE_SETTINGS).first() or Settings(id=1)


# Read on most pages. A statement built once costs about half of session.get's first lookup; it reads the row
# afresh each time, where session.get returned the copy already in the session.
_THE_SETTINGS = select(Settings).where(Settings.id == 1)


def organization_today(*, session: Session) -> date:
    """Today on the organization's clocks (the time_zone setting), from the worker's copy of the settings."""
    return for_lists(session=session).today()


def hourly_rates(*, session: Session) -> dict[AffectedRole, float]:
    stored = {rate.affected_role: rate.usd_per_hour for rate in session.exec(select(HourlyRate))}
    return {**DEFAULT_HOURLY_RATES, **stored}


@dataclass(frozen=True)
class ForLists:
    """What every list page needs of the reference data."""

    stale_after_days: int
    working_weeks_per_year: float
    time_zone: str
    departments: tuple[tuple[int, str], ...]  # (id, name), by name
    categories: tuple[tuple[int, str], ...]
    sites: tuple[tuple[int, str], ...] = ()
    department_sites: tuple[tuple[int, int | None], ...] = ()  # (department id, its site's id)

    def today(self) -> date:
        """The organization's today, on its own clocks."""
        return hours.today_in(self.time_zone)

    @cached_property
    def names(self) -> tuple[dict[int, str], dict[int, str]]:
        """Department and category names by id, for naming the rows of a list."""
        return dict(self.departments), dict(self.categories)


STAMP = select(ReferenceStamp.stamp).where(ReferenceStamp.id == 1).scalar_subquery()
_KEPT: dict[str, tuple[str, ForLists]] = {}  # by database: the stamp they were read under, and the copy
_NOTED = "reference_stamp"  # in Session.info: (the transaction, the stamp it read)


def note_stamp(session: Session, stamp: str | None) -> None:
    """For a caller that read STAMP along with its own query: for_lists then need not read it again, in this
    transaction of a read-only session (db.open_session). A session that writes may change the reference data
    after the note, and for_lists must then read its own stamp."""
    if session.info.get("read_only"):
        session.info[_NOTED] = (session.get_transaction(), stamp)


def for_lists(*, session: Session, fresh: bool = False) -> ForLists:
    """This worker's copy, while the stamp is unchanged; `fresh` reads it from the database all the same."""
    if fresh:
        return _read_for_lists(session)
    stamp = _stamp(session)
    database = str(session.get_bind().url)
    kept = _KEPT.get(database)
    if stamp is not None and kept is not None and kept[0] == stamp:
        return kept[1]
    # Read after the stamp: at least as new as it, so never kept under a stamp older than itself.
    fresh = _read_for_lists(session)
    if stamp is not None:
        _KEPT[database] = (stamp, fresh)
    return fresh


def _stamp(session: Session) -> str | None:
    noted = session.info.get(_NOTED)
    if noted is not None and noted[0] is not None and noted[0] is session.get_transaction():
        return noted[1]
    return session.connection().execute(select(STAMP)).scalar()


def _read_for_lists(session: Session) -> ForLists:
    settings = get_settings(session=session)
    choices = {"departments": [], "categories": [], "sites": []}
    department_sites = []
    for kind, choice_id, name, _sort_name, site_id in session.connection().execute(_CHOICES):
        choices[kind].append((choice_id, name))
        if kind == "departments":
            department_sites.append((choice_id, site_id))
    return ForLists(settings.stale_after_days, settings.working_weeks_per_year, settings.time_zone,
                    tuple(choices["departments"]), tuple(choices["categories"]), tuple(choices["sites"]),
                    tuple(department_sites))


_CHOICES = union_all(*(
    select(literal(kind).label("kind"), model.id, model.name, func.lower(model.name).label("sort_name"),
           site.label("site_id"))
    for kind, model, site in (("departments", Department, Department.site_id),
                              ("categories", Category, literal(None, Integer)),
                              ("sites", Site, literal(None, Integer)))
)).order_by("kind", "sort_name")


def find_by_name(session: Session, model, name: str):
    """Departments and categories are matched by name, ignoring case."""
    return session.exec(select(model).where(func.lower(model.name) == name.strip().lower())).first()
