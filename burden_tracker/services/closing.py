"""Closing a quarter, reopening it, and keeping the restatements of closed quarters as changes are written.

Closing stores the quarter's report and its sheets' rows as they stand (queries/quarter_report.py); from then on
its dashboard and workbook are read from what was stored. A change written later that alters a closed quarter's
figures (a back-dated retirement, a revision, an import of history) is recorded, as it is written, as a
restatement: which nomination, which event, and by how much each figure moved. Figures are sums over nominations,
so a change to one moves them by that nomination's contribution after less before (services/keeping.py counts it).
"""

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from .. import hours
from ..enums import WebhookEvent
from ..errors import DomainError
from ..models import ClosedRow, Department, Nomination, QuarterClosing, Restatement, Site, utc_now
from ..queries import closed_quarters, quarter_report
from ..queries.reference import organization_today
from .admin import record_admin_change
from .webhooks import announce, quarter_data
from .workbooks import forget, keep_when_closed

REASON_MAX = 2_000
OPERATOR = "an operator, at the command line"
_BATCH = 2_000


def close_quarter(*, session: Session, quarter: hours.Quarter, actor_id: int | None, closed_by: str) -> QuarterClosing:
    """Stores the quarter's report and rows as they stand now, and its workbook to be written once committed (the
    caller queues it: session.info[workbooks.TO_WRITE]). Refuses a quarter not over, or already closed."""
    today = organization_today(session=session)
    if quarter.last_day >= today:
        raise DomainError(f"{quarter} is not over: it ends on {quarter.last_day:%-d %B %Y}. A quarter can be "
                          "closed from the day after its last.")
    if closed_quarters.closing_of(session=session, quarter=quarter):
        raise DomainError(f"{quarter} is already closed. Reopen it first (with a reason) to close it again.")
    report = quarter_report.live_report(session=session, quarter=quarter, today=today)
    sites = [quarter_report.live_report(session=session, quarter=quarter, today=today, site_id=site_id)
             for site_id in session.scalars(select(Site.id).order_by(Site.id))]
    closing = QuarterClosing(quarter=quarter.key, closed_by_id=actor_id)
    session.add(closing)
    try:
        session.flush()
    except IntegrityError:  # another admin closed it a moment ago
        session.rollback()
        raise DomainError(f"{quarter} is already closed.") from None
    keys = {sheet: _store_rows(session, closing.id, sheet, report) for sheet in quarter_report.SHEETS}
    _note_sites(session, closing.id)
    closing.report = quarter_report.encode(report, keys, closed_by)
    closing.site_reports = quarter_report.encode_sites(sites)
    record_admin_change(session, actor_id, f"Closed {quarter}")
    announce(session, WebhookEvent.QUARTER_CLOSED, quarter_data(quarter, report.history[-1][1]))
    keep_when_closed(session, quarter.key, closing.id)
    session.commit()
    return closing


def _store_rows(session: Session, closing_id: int, sheet: str, report) -> list[str]:
    found = quarter_report.rows(session=session, report=report, sheet=sheet)
    keys = list(found.keys())
    batch = []
    for position, row in enumerate(found):
        batch.append({"closing_id": closing_id, "sheet": sheet, "position": position,
                      "nomination_id": row[keys.index("id" if "id" in keys else "nomination_id")],
                      "values": closed_quarters.dumps(list(row))})
        if len(batch) == _BATCH:
            session.execute(insert(ClosedRow), batch)
            batch = []
    if batch:
        session.execute(insert(ClosedRow), batch)
    return keys


def _note_sites(session: Session, closing_id: int) -> None:
    """Each stored row's site, as its nomination's department's is now: a site's workbook lists its own. A plain
    UPDATE of the table: through the ORM it would first fetch every row it changes."""
    rows = ClosedRow.__table__
    site = (select(Department.site_id).join(Nomination, Nomination.department_id == Department.id)
            .where(Nomination.id == rows.c.nomination_id).scalar_subquery())
    session.execute(rows.update().where(rows.c.closing_id == closing_id).values(site_id=site))


def reopen_quarter(*, session: Session, quarter: hours.Quarter, actor_id: int | None, reason: str) -> None:
    """Drops what was stored, keeping who closed and reopened it, when and why; its figures are live again."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Nothing was changed: say why the quarter is reopened.",
                          fields={"reason": "Say why the quarter is reopened: it is kept with the quarter's history."})
    if len(reason) > REASON_MAX:
        raise DomainError("The reason is too long.", fields={"reason": f"At most {REASON_MAX:,} characters."})
    closing = closed_quarters.closing_of(session=session, quarter=quarter)
    if closing is None:
        raise DomainError(f"{quarter} is not closed.")
    session.execute(ClosedRow.__table__.delete().where(ClosedRow.closing_id == closing.id))
    session.execute(Restatement.__table__.delete().where(Restatement.closing_id == closing.id))
    forget(session, closing_id=closing.id)
    closing.report, closing.site_reports, closing.reopened_at = None, None, utc_now()
    closing.reopened_by_id, closing.reopen_reason = actor_id, reason
    record_admin_change(session, actor_id, f"Reopened {quarter}: {reason}")
    session.commit()


def scrub(session: Session, nomination_ids: set[int], removed: str, redacted: str) -> None:
    """Puts `redacted` where a stored copy of a closed quarter holds the removed text (services/redaction.py): the
    one change a closed quarter takes."""
    quoted, instead = f"“{removed}”", f"“{redacted}”"

    def scrubbed(value):
        if value == removed:
            return redacted
        return value.replace(quoted, instead) if isinstance(value, str) else value

    for row in session.execute(select(ClosedRow).where(ClosedRow.nomination_id.in_(nomination_ids))).scalars():
        row.values = closed_quarters.dumps([scrubbed(value) for value in closed_quarters.loads(row.values)])
    for closing in closed_quarters.closings_in_force(session=session).values():
        closing.report = _wins_scrubbed(closing.report, nomination_ids, scrubbed)
        if closing.site_reports:
            closing.site_reports = _wins_scrubbed(closing.site_reports, nomination_ids, scrubbed, of_sites=True)
    forget(session)  # every kept workbook: written again when next asked for


def _wins_scrubbed(stored: str, nomination_ids: set[int], scrubbed, of_sites: bool = False) -> str:
    """A stored report's largest wins with the removed text scrubbed; of each site's report, of_sites."""
    found = closed_quarters.loads(stored)
    for report in (found.values() if of_sites else [found]):
        for win in report["wins"]:
            if win["nomination_id"] in nomination_ids:
                win["title"] = scrubbed(win["title"])
    return closed_quarters.dumps(found)
