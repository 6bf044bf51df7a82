"""Linking a nomination to the EHR metric its retirement should move and the departments it affects: the board's
choice when evaluating or retiring it, or an imported row's."""

from sqlalchemy import delete, insert
from sqlmodel import Session

from ..ehr_metrics import METRICS
from ..errors import MoveRefused
from ..models import AffectedDepartment, Nomination
from ..queries.reference import for_lists


def link_measure(session: Session, nomination: Nomination, fields: dict) -> None:
    """Sets the metric (none: not measured) and the affected departments (none named: its own department); a
    move that does not name the metric leaves both as they were."""
    if "measured_metric" not in fields:
        return
    metric = fields["measured_metric"]
    if metric is not None and metric not in METRICS:
        raise MoveRefused("Please choose the EHR metric from the list.",
                          fields={"measured_metric": "is not a metric Burden Tracker measures"})
    known = {id_ for id_, _name in for_lists(session=session).departments}
    chosen = set()
    for value in fields.get("affected_departments") or []:
        text = str(value)
        if not (text.isascii() and text.isdigit() and len(text) < 10) or int(text) not in known:
            raise MoveRefused("Please choose the departments from the list.",
                              fields={"affected_departments": "names a department that does not exist"})
        chosen.add(int(text))
    nomination.measured_metric = metric
    # On the connection, not the session: flushing the nomination here would write it (and its version) twice.
    connection = session.connection()
    connection.execute(delete(AffectedDepartment).where(AffectedDepartment.nomination_id == nomination.id))
    if chosen - {nomination.department_id}:
        connection.execute(insert(AffectedDepartment), [{"nomination_id": nomination.id, "department_id": department}
                                                     for department in sorted(chosen)])
