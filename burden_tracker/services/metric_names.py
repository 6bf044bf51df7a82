"""The names an EHR vendor's export gives each canonical metric and our departments: an admin adds their
vendor's spelling, or takes one back. A metric's own name always stays; a department's own name needs none."""

from sqlmodel import Session

from ..ehr_metrics import METRICS, name_key
from ..errors import DomainError
from ..models import Department, DepartmentName, MetricName
from ..queries.ehr_metrics import department_owning_name
from .admin import record_admin_change

NAME_MAX = 120


def add_name(*, session: Session, actor_id: int, name: str, metric: str) -> None:
    name = (name or "").strip()
    if metric not in METRICS:
        raise DomainError("Choose one of the metrics.", fields={"metric": "choose one of the metrics"})
    if not 1 <= len(name) <= NAME_MAX or not name_key(name) or not name.isprintable():
        raise DomainError("Type the name as the export writes it.", fields={"name": f"must be 1 to {NAME_MAX} "
                                                                                   "characters one can see"})
    taken = session.get(MetricName, name_key(name))
    if taken is not None:
        raise DomainError("That name is taken.", fields={"name": f"already names {taken.metric} (as {taken.name!r})"})
    session.add(MetricName(name_key=name_key(name), name=name, metric=metric))
    record_admin_change(session, actor_id, f"EHR metrics: {name!r} now names {metric}")
    session.commit()


def remove_name(*, session: Session, actor_id: int, name: str) -> None:
    """Nothing happens for a name no metric goes by."""
    if not name.isprintable() or len(name) > NAME_MAX:
        return
    row = session.get(MetricName, name_key(name))
    if row is None:
        return
    if row.name_key == name_key(row.metric):
        raise DomainError(f"{row.metric} is the metric's own name: it stays.")
    session.delete(row)
    record_admin_change(session, actor_id, f"EHR metrics: {row.name!r} no longer names {row.metric}")
    session.commit()


def department_key(name: str) -> str:
    return name.strip().casefold()


def add_department_name(*, session: Session, actor_id: int, name: str, department_id: int | None) -> None:
    name = (name or "").strip()
    department = session.get(Department, department_id) if department_id else None
    if department is None:
        raise DomainError("Choose one of the departments.", fields={"department_id": "choose one of the departments"})
    if not 1 <= len(name) <= NAME_MAX or not name.isprintable():
        raise DomainError("Type the name as the export writes it.", fields={"department_name": f"must be 1 to "
                                                                        f"{NAME_MAX} characters one can see"})
    own = department_owning_name(session=session, name=name)
    if own is not None:
        raise DomainError("That name is a department's own.", fields={"department_name": f"is the department "
                                                                      f"{own}'s own name: the import reads it already"})
    taken = session.get(DepartmentName, department_key(name))
    if taken is not None:
        raise DomainError("That name is taken.", fields={"department_name": f"already names another department "
                                                                            f"(as {taken.name!r})"})
    session.add(DepartmentName(name_key=department_key(name), name=name, department_id=department.id))
    record_admin_change(session, actor_id, f"EHR metrics: {name!r} now names the department {department.name}")
    session.commit()


def remove_department_name(*, session: Session, actor_id: int, name: str) -> None:
    """Nothing happens for a name no department goes by."""
    if not name.isprintable() or len(name) > NAME_MAX:
        return
    row = session.get(DepartmentName, department_key(name))
    if row is None:
        return
    session.delete(row)
    record_admin_change(session, actor_id, f"EHR metrics: {row.name!r} no longer names a department")
    session.commit()
