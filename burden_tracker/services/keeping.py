"""Counting a change into the reports as it is written: the kept figures of the quarters a dashboard shows
(queries/kept_figures.py) and the restatements of closed quarters (services/closing.py).

Figures are sums over nominations, so a change to some nominations moves each quarter's figures by their share
after it less their share before (queries/figure_shares.py, counted by the reports' own SQL). Both are counted once,
for the closed quarters and the kept ones together.
"""

from contextlib import contextmanager
from datetime import date

from sqlalchemy import case, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from .. import hours
from ..models import Event, KeptDay, KeptFigure, KeptQuarter, Restatement, utc_now
from ..queries import closed_quarters, figure_shares, kept_figures, reporting, restatements
from ..queries.dialects import insert_adding
from ..queries.reference import get_settings, organization_today

_BATCH = 2_000


def keep_current_quarters(*, session: Session, today: date) -> list[hours.Quarter]:
    """Keeps the quarters the current quarter's dashboard shows (it and the seven before) that are not closed,
    counting afresh those whose kept figures are missing or behind; returns them. Commits. `burden-tracker init`
    runs it, which starts keeping figures in a database; from then on every change written through the services
    does it first (counting_change), so an operator need only run it after a change made around them
    (`burden-tracker quarter keep`)."""
    counted = _keep_window(session, today)
    session.commit()
    return counted


def _keep_window(session: Session, today: date) -> list[hours.Quarter]:
    """keep_current_quarters without the commit. Quarters that left the window are no longer kept, so that a write
    counts its change into eight at most; the first write of a quarter, or after a setting changed, pays for
    counting what is missing, once."""
    start_month = get_settings(session=session).fiscal_year_start_month
    window = hours.Quarter.containing(today, start_month).last(reporting.HISTORY_QUARTERS)
    closed = closed_quarters.closings_in_force(session=session)
    wanted = [quarter for quarter in window if quarter not in closed]
    missing = sorted(set(wanted) - kept_figures.current(session=session, quarters=wanted))
    if not missing:
        return []
    gone = [q for q in kept_figures.kept_quarters(session=session, start_month=start_month) if q not in window]
    # Read before counting: a change written meanwhile leaves the quarter behind (counted again), never ahead.
    now = kept_figures.newest(session=session)
    try:
        with session.begin_nested():  # of two writers counting the same quarter at once, one gives way
            _count_afresh(session, missing, gone, now)
    except IntegrityError:
        return []
    return missing


def _count_afresh(session: Session, missing: list[hours.Quarter], gone: list[hours.Quarter], now) -> None:
    keys = [quarter.key for quarter in missing + gone]
    for table in (KeptQuarter, KeptFigure, KeptDay):
        session.execute(delete(table).where(table.quarter.in_(keys)))
    session.add_all(KeptQuarter(quarter=quarter.key, last_nomination_id=now.nomination_id,
                                last_event_id=now.event_id, reference_stamp=now.reference_stamp) for quarter in missing)
    session.flush()
    figures, days = figure_shares.counted_afresh(session=session, quarters=missing)
    for table, counted in ((KeptFigure, figures), (KeptDay, days)):
        _insert(session, table, [dict(zip(_KEYS[table], key, strict=True), value=value)
                                 for key, value in counted.items()])


def count_kept_afresh(*, session: Session) -> None:
    """Counts the kept quarters afresh, in the transaction of a change that moves every nomination's share at once
    (a setting, an hourly rate) or many of them (an import), so that no dashboard counts the history meanwhile.
    Does not commit."""
    if kept_figures.keeping(session=session):
        session.execute(update(KeptQuarter).values(reference_stamp=""))
        _keep_window(session, organization_today(session=session))


class Counting:
    """What a block of changes is, in words, for the restatements it causes (set before the block ends)."""

    change = "changed"


@contextmanager
def counting_change(session: Session, nominations, submitted_on: date | None = None, into_kept: bool = True):
    """Around a change to the nominations picked (lambda ids: ids == 7): once it is flushed, adds the difference it
    makes to the kept quarters, and records a restatement of each closed quarter it alters. First, in a database
    that keeps figures (`burden-tracker init` starts it), it keeps the current quarter's window
    (keep_current_quarters). With into_kept=False it records the restatements only: an import, whose thousands of rows
    the database counts faster afresh (count_kept_afresh) than their shares one by one. Closed quarters that ended
    before the nomination was submitted (given submitted_on) cannot hold it and are skipped."""
    counting_kept = into_kept and kept_figures.keeping(session=session)
    if counting_kept:
        _keep_window(session, organization_today(session=session))
    start_month = get_settings(session=session).fiscal_year_start_month
    kept = kept_figures.current(session=session, quarters=kept_figures.kept_quarters(
        session=session, start_month=start_month)) if counting_kept else set()
    closings = closed_quarters.closings_in_force(session=session)
    quarters = sorted({quarter for quarter in closings if submitted_on is None or quarter.last_day >= submitted_on}
                      | kept)  # every kept one: each counts how many nominations a group has, whenever submitted
    said = Counting()
    if not quarters:
        yield said
        session.flush()
        _counted_to_now(session, kept)
        return
    before = figure_shares.shares(session=session, quarters=quarters, nominations=nominations)
    yield said
    session.flush()
    after = figure_shares.shares(session=session, quarters=quarters, nominations=nominations)
    record_restatements(session, {q: closings[q] for q in quarters if q in closings}, quarters, before, after,
                        said.change)
    kept_keys = {quarter.key for quarter in kept}
    for table, after_rows, before_rows in zip(
            (KeptFigure, KeptDay), figure_shares.tally(after.values(), quarters),
            figure_shares.tally(before.values(), quarters), strict=True):
        changed = figure_shares.difference(after_rows, before_rows)
        _add(session, table, {key: value for key, value in changed.items() if key[0] in kept_keys})
    _counted_to_now(session, kept)


def record_restatements(session: Session, closings: dict, quarters: list[hours.Quarter], before: dict, after: dict,
                        change: str) -> None:
    """A restatement of each closed quarter (closings: quarter -> its closing) whose figures a change moved: `before`
    and `after` are the changed nominations' shares of `quarters` (figure_shares.shares), counted around it."""
    for nomination_id, share in after.items():
        was = before[nomination_id].figures if nomination_id in before else [reporting.Figures()] * len(quarters)
        for quarter, now, then in zip(quarters, share.figures, was, strict=True):
            moved = restatements.difference(now, then) if quarter in closings else None
            if moved:
                session.add(Restatement(closing_id=closings[quarter].id, nomination_id=nomination_id,
                                        event_id=_last_event(session, nomination_id), change=change,
                                        difference=closed_quarters.dumps(moved)))


def _last_event(session: Session, nomination_id: int) -> int | None:
    return session.execute(select(func.max(Event.id)).where(Event.nomination_id == nomination_id)).scalar()


def _counted_to_now(session: Session, kept: set[hours.Quarter]) -> None:
    """The kept quarters have counted everything written so far, this change included."""
    if not kept:
        return
    now = kept_figures.newest(session=session)
    session.execute(update(KeptQuarter).where(KeptQuarter.quarter.in_([q.key for q in kept])).values(
        last_nomination_id=_at_least(KeptQuarter.last_nomination_id, now.nomination_id),
        last_event_id=_at_least(KeptQuarter.last_event_id, now.event_id), kept_at=utc_now()))


def _at_least(column, value: int):
    # Two changes written at once each move the mark up to their own newest; the later-committed must not lower it.
    return case((column < value, value), else_=column)


_KEYS = {KeptFigure: ("quarter", "grouping", "group_key", "measure"),
         KeptDay: ("quarter", "grouping", "group_key", "measure", "day")}


def _add(session: Session, table, amounts: dict) -> None:
    """Adds each amount to its row, making the row when there is none: one statement, safe with other writers."""
    if not amounts:
        return
    keys = _KEYS[table]
    statement = insert_adding(table, list(keys), session.get_bind().dialect.name)
    session.execute(statement, [dict(zip(keys, key, strict=True), value=value) for key, value in amounts.items()])


def _insert(session: Session, table, rows: list[dict]) -> None:
    for start in range(0, len(rows), _BATCH):
        session.execute(insert(table), rows[start:start + _BATCH])
