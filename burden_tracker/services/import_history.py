"""The history an imported row's state implies: its arrival, then each move, on the days the sheet gives.

Pure: no database. services/importer.py writes these events beside the rows.
"""

from datetime import date, datetime
from functools import lru_cache

from .. import hours
from ..enums import EventKind, State
from .import_rows import ParsedRow


def history(nomination_id: int, row: ParsedRow, source: str, zone: str) -> list[dict]:
    """The row's history as recorded: its arrival as proposed, then each move its state implies, dated as the
    sheet dates it (evaluated or rejected on decided_on, which defaults to submitted_on; retired on retired_on),
    so that the history, the pipeline and the quarters' counts agree. The decision note goes with the move that
    decided. A sheet's days are the organization's: each move is stamped at the start of that day on its clocks
    (zone), so that a decision of 1 October counts in October's quarter west of Greenwich too."""
    submitted = row.nomination.submitted_on
    moves = {
        State.PROPOSED: [],
        State.EVALUATED: [(State.PROPOSED, State.EVALUATED, row.decided_on)],
        State.REJECTED: [(State.PROPOSED, State.REJECTED, row.decided_on)],
        State.RETIRED: [(State.PROPOSED, State.EVALUATED, row.decided_on),
                        (State.EVALUATED, State.RETIRED, row.retired_on)],
    }[row.status]
    history = [_imported(nomination_id, None, State.PROPOSED, _start_of(submitted, zone), f"Imported from {source}.")]
    for number, (from_state, to_state, on) in enumerate(moves, 1):
        last = number == len(moves)
        history.append(_imported(nomination_id, from_state, to_state, _start_of(on, zone),
                                 row.decision_note if last else None))
    if not moves and row.decision_note:  # a proposed row's note stays with its arrival
        history[0]["note"] += f" {row.decision_note}"
    return history


def _imported(nomination_id: int, from_state: State | None, to_state: State, at: datetime, note: str | None) -> dict:
    return {"nomination_id": nomination_id, "kind": EventKind.IMPORTED, "from_state": from_state,
            "to_state": to_state, "at": at, "note": note, "note_id": None}


@lru_cache(maxsize=4096)  # a sheet of years of rows holds a few hundred distinct days
def _start_of(day: date, zone: str) -> datetime:
    return hours.midnight_starting(day, zone)
