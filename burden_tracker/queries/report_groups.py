"""How the reports break a quarter down: the groupings, each group's column and label, and the nominations of one
site. queries/reporting.py counts by them; queries/figure_shares.py keeps by them."""

from sqlalchemy import select
from sqlmodel import Session

from ..enums import AffectedRole, Outcome, RequirementSource
from ..models import Category, Department, Nomination, Site
from .report_terms import source_column

OUTCOME_NOT_RECORDED = "not recorded"  # retired before outcomes were asked, or not retired
GROUPINGS = ("site", "department", "category", "source", "role", "outcome")


def group_column(by: str):
    if by == "site":  # its department's: read beside each nomination, so that no query needs a join for it
        return select(Department.site_id).where(Department.id == Nomination.department_id).scalar_subquery()
    return {"nomination": Nomination.id, "department": Nomination.department_id, "category": Nomination.category_id,
            "source": source_column(), "role": Nomination.affected_role, "outcome": Nomination.outcome}[by]


def group_columns() -> list:
    """The column of each of GROUPINGS, in its order."""
    return [group_column(by) for by in GROUPINGS]


def at_site(site_id: int):
    """The nominations of one site: those of its departments (a department belongs to one site)."""
    return Nomination.department_id.in_(select(Department.id).where(Department.site_id == site_id))


def limited_to_site(query, site_id: int | None):
    """A query of nominations, of one site's only when site_id is given."""
    return query if site_id is None else query.where(at_site(site_id))


def labels(session: Session, by: str, site_id: int | None = None) -> dict:
    """A grouping's key -> (label, listed even when empty); of one site's groups only, when it is given."""
    if by in ("site", "department", "category"):
        model = {"site": Site, "department": Department, "category": Category}[by]
        query = select(model.id, model.name, model.active)
        if site_id is not None and by != "category":
            query = query.where((Site.id if by == "site" else Department.site_id) == site_id)
        return {id_: (name, active) for id_, name, active in session.execute(query)}
    if by == "outcome":  # burdens not retired, or retired before it was asked, are "not recorded": listed if any
        return {None: (OUTCOME_NOT_RECORDED, False), **{member: (member.value, True) for member in Outcome}}
    vocabulary = RequirementSource if by == "source" else AffectedRole
    return {member: (member.value, True) for member in vocabulary}
