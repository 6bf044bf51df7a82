"""The texts of a nomination the board may redact: those not redacted yet, as the board's panel offers them.
services/redaction.py redacts the one chosen."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from ..enums import EventKind
from ..models import REDACTED, BoardNote, Comment, Event, EventNote, Nomination

# The nomination's own texts, and what the board calls each.
FIELDS = {"title": "the title", "description": "the description", "suggested_change": "the suggested change",
          "evaluation_note": "the evaluation note", "what_changed": "what was changed",
          "rejection_rationale": "the rejection rationale"}
EXCERPT = 60


@dataclass(frozen=True)
class Redactable:
    key: str  # what the form sends back: a field's name, or "comment-7", "board-note-3", "note-12"
    what: str  # "the description", "a comment", "a board note", "the note of a move to rejected"
    at: datetime | None
    excerpt: str


def redactable_texts(*, session: Session, nomination: Nomination) -> list[Redactable]:
    """The nomination's texts not yet redacted, in the order the page shows them."""
    texts = [Redactable(name, what, None, _excerpt(getattr(nomination, name)))
             for name, what in FIELDS.items() if _kept(getattr(nomination, name))]
    own = {getattr(nomination, name) for name in FIELDS}  # a decision's note is redacted with its field
    for event, note in session.exec(_event_notes(nomination.id).order_by(Event.at, Event.id)):
        if note.redacted_at is None and note.body not in own and event.kind is not EventKind.REDACTED:
            what = f"the note of a move to {event.to_state.value}" if event.to_state else "a note in the history"
            texts.append(Redactable(f"note-{note.id}", what, event.at, _excerpt(note.body)))
    for model, prefix, what in ((Comment, "comment", "a comment"), (BoardNote, "board-note", "a board note")):
        for row in session.exec(select(model).where(model.nomination_id == nomination.id)
                                .order_by(model.created_at, model.id)):
            if _kept(row.body):
                texts.append(Redactable(f"{prefix}-{row.id}", what, row.created_at, _excerpt(row.body)))
    return texts


def _event_notes(nomination_id: int):
    return select(Event, EventNote).join(EventNote, EventNote.id == Event.note_id).where(
        Event.nomination_id == nomination_id)


def _kept(text: str | None) -> bool:
    return bool(text) and text != REDACTED


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[:EXCERPT - 1] + "…"
