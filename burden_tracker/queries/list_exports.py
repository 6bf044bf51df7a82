"""Every row a list's filters find, in the list's order, for taking it away as a file (list_files.py): the
pages of queries/listing.py read one after another, each row with its submitter named by the one rule.

A day is fixed for the whole file, so that "new" and "overdue" mean the same from its first row to its last.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from ..enums import Actor
from ..models import Nomination, User
from ..naming import person_named
from .listing import Filters, NominationRow, list_nominations
from .reference import for_lists

ROWS_A_READ = 1_000


@dataclass(frozen=True)
class ListedRow:
    row: NominationRow
    submitter: str  # "the submitter (anonymous)" when the nomination hides them


def every_listed(*, session: Session, filters: Filters, owners: bool = False) -> Iterator[ListedRow]:
    today = for_lists(session=session).today()
    page = 1
    while True:
        listing = list_nominations(session=session, page=page, per_page=ROWS_A_READ, filters=filters, today=today,
                                   owners=owners)
        submitters = _submitters(session, [row.id for row in listing.rows])
        yield from (ListedRow(row, submitters[row.id]) for row in listing.rows)
        if not listing.has_next:
            return
        page += 1


def _submitters(session: Session, ids: list[int]) -> dict[int, str]:
    rows = session.execute(select(Nomination.id, Nomination.anonymous, User.name, User.email)
                           .outerjoin(User, User.id == Nomination.submitter_id).where(Nomination.id.in_(ids)))
    return {id_: person_named(name, email, acted_as=Actor.SUBMITTER, anonymous_nomination=anonymous, nobody="—")
            for id_, anonymous, name, email in rows}
