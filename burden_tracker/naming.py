"""How a person is named beside what they did: the one place the anonymity rule lives. Pure Python.

Every page, fragment, message, notice, email, workbook sheet and log line that names a person asks
`person_named`. The rule (docs/product.md): someone acting as a board member is named as themselves, always;
the submitter of an anonymous nomination, acting as its submitter (submitting, withdrawing, commenting on
it), is "the submitter (anonymous)". The capacity is stored with each event and comment, never guessed.
"""

from .enums import Actor, EventKind

ANONYMOUS = "the submitter (anonymous)"
SYSTEM = "Burden Tracker"  # what no person did
IMPORTER = f"{SYSTEM} (import)"  # history brought in from a spreadsheet


def person_named(name: str | None, email: str | None, *, acted_as: Actor | None = None,
                 anonymous_nomination: bool = False, nobody: str = SYSTEM) -> str:
    """name and email are the person's (None when no person acted); acted_as is the capacity they acted in,
    and anonymous_nomination whether the nomination it was about hides its submitter."""
    if acted_as == Actor.SUBMITTER and anonymous_nomination:
        return ANONYMOUS
    if email is None:
        return nobody
    return name or email


def nobody_for(kind: EventKind) -> str:
    """Who an event with no person is credited to."""
    return IMPORTER if kind == EventKind.IMPORTED else SYSTEM
