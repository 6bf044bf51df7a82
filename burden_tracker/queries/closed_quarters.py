"""What was stored when quarters were closed: their reports, their sheets' rows, and the restatements since.

A closed quarter's report and rows are JSON (dumps and loads keep dates and times as they were), written by
services/closing.py and read back here exactly, so its dashboard and workbook are the same on any later day.
"""

import json
from datetime import date, datetime
from enum import Enum

from sqlalchemy import select
from sqlmodel import Session

from .. import hours
from ..models import ClosedRow, Nomination, QuarterClosing, Restatement
from .reference import get_settings
from .report_groups import at_site


def dumps(value) -> str:
    return json.dumps(value, default=_tagged, separators=(",", ":"), ensure_ascii=False)


def loads(text: str):
    return json.loads(text, object_hook=_untagged)


def _tagged(value):
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"{type(value).__name__} cannot be stored in a closed quarter")


def _untagged(found: dict):
    if len(found) == 1:
        if "$datetime" in found:
            return datetime.fromisoformat(found["$datetime"])
        if "$date" in found:
            return date.fromisoformat(found["$date"])
    return found


def closings_in_force(*, session: Session) -> dict[hours.Quarter, QuarterClosing]:
    """The quarters closed now, each with its closing."""
    start_month = get_settings(session=session).fiscal_year_start_month
    closings = session.execute(select(QuarterClosing).where(QuarterClosing.reopened_at.is_(None))).scalars()
    return {hours.Quarter.parse(closing.quarter, start_month): closing for closing in closings}


def closing_of(*, session: Session, quarter: hours.Quarter) -> QuarterClosing | None:
    query = select(QuarterClosing).where(QuarterClosing.quarter == quarter.key, QuarterClosing.reopened_at.is_(None))
    return session.execute(query).scalars().first()


def any_closed(*, session: Session) -> bool:
    query = select(QuarterClosing.id).where(QuarterClosing.reopened_at.is_(None)).limit(1)
    return session.execute(query).first() is not None


class StoredRows:
    """A closed sheet's rows in their order, a batch at a time, with the keys of the query that wrote them; of one
    site's nominations (as they were when it was closed) when site_id is given."""

    BATCH = 2_000

    def __init__(self, session: Session, closing_id: int, sheet: str, keys: list[str], site_id: int | None = None):
        self.session, self.closing_id, self.sheet, self._keys = session, closing_id, sheet, keys
        self.site_id = site_id

    def keys(self) -> list[str]:
        return self._keys

    def __iter__(self):
        query = (select(ClosedRow.values).where(ClosedRow.closing_id == self.closing_id, ClosedRow.sheet == self.sheet)
                 .order_by(ClosedRow.position).execution_options(yield_per=self.BATCH))
        if self.site_id is not None:
            query = query.where(ClosedRow.site_id == self.site_id)
        for (values,) in self.session.connection().execute(query):
            yield tuple(loads(values))


def restatements(*, session: Session, closing_ids: list[int], site_id: int | None = None) -> list[tuple]:
    """(closing id, Restatement, the nomination's title) for the given closings, oldest first; of one site's
    nominations when site_id is given."""
    if not closing_ids:
        return []
    query = (select(Restatement, Nomination.title).join(Nomination, Nomination.id == Restatement.nomination_id)
             .where(Restatement.closing_id.in_(closing_ids)).order_by(Restatement.at, Restatement.id))
    if site_id is not None:
        query = query.where(at_site(site_id))
    return [(restatement.closing_id, restatement, title) for restatement, title in session.execute(query)]
