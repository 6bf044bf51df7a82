"""The people a comment may mention: active people with a name, as the list under "@" offers them while a comment is
typed, and as a comment's text names them once sent. Only names: an email never reaches the list."""

from sqlmodel import Session, select

from ..models import User
from ..schemas import without_nul

SUGGESTED = 8


def people_to_mention(*, session: Session, typed: str) -> list[tuple[int, str]]:
    """(id, name) of active people whose name has a word beginning with what was typed after "@", by name."""
    typed = " ".join(without_nul(typed).split())[:60]
    if not typed:
        return []
    starts = User.name.istartswith(typed, autoescape=True) | User.name.icontains(f" {typed}", autoescape=True)
    query = select(User.id, User.name).where(User.active.is_(True), User.name != "", starts) \
        .order_by(User.name).limit(SUGGESTED)
    return [(id_, name) for id_, name in session.execute(query)]


def mentioned_in(*, session: Session, text: str) -> set[int]:
    """The active people a text names after an "@", longest name first, so that "@Ana Lee" is Ana Lee and not
    also someone called Ana."""
    folded = text.casefold()
    if "@" not in folded:
        return set()
    found, taken = set(), []
    names = session.execute(select(User.id, User.name).where(User.active.is_(True), User.name != ""))
    for id_, name in sorted(names, key=lambda row: -len(row[1])):
        at = _whole(folded, f"@{name.casefold()}", taken)
        if at >= 0:
            found.add(id_)
            taken.append((at, at + len(name) + 1))
    return found


def _whole(text: str, mention: str, taken: list[tuple[int, int]]) -> int:
    """Where the mention stands as whole words ("@Bob" is not in "@Bobby"), outside a longer name found before."""
    at = text.find(mention)
    while at >= 0:
        end = at + len(mention)
        if not (end < len(text) and text[end].isalnum()) and not any(start <= at < stop for start, stop in taken):
            return at
        at = text.find(mention, at + 1)
    return -1
