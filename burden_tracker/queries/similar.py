"""Open nominations like the one being typed, so that people say "me too" instead of nominating it again.

Matching is by whole words, ranked by each database's text search (queries/word_search.py): a word in a
title counts more than one in a description. Nothing here names a submitter.
"""

import re
from dataclasses import dataclass

from sqlalchemy import exists, func, select
from sqlmodel import Session

from .. import workflow
from ..models import Department, Nomination, Supporter
from .word_search import with_any_word

MAX_WORDS = 12
_WORD = re.compile(r"[^\W\d_]{3,}")
_COMMON_WORDS = """
    about above after again all also always and any are around because been before being below between both
    but can cannot could did does doing done down during each even every few for from had has have having her
    here hers him his how into its just like many more most much must need needs not now off once one only
    other our out over own per same she should some such than that the their them then there these they this
    those through too under until upon very was way were what when where which while who whom why will with
    within without would yet you your
"""
STOP_WORDS = frozenset(_COMMON_WORDS.split())


@dataclass(frozen=True)
class Suggestion:
    id: int
    title: str
    state: str
    department: str
    supporters: int
    viewer_supports: bool
    viewer_is_submitter: bool


def meaningful_words(text: str, most: int = MAX_WORDS) -> list[str]:
    """The first `most` distinct words of three letters or more, common words left out, a plural's final s
    dropped."""
    words: list[str] = []
    for word in _WORD.findall(text.lower()):
        if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        if word not in STOP_WORDS and word not in words:
            words.append(word)
    return words[:most]


def similar_nominations(*, session: Session, text: str, viewer_id: int, limit: int = 5) -> list[Suggestion]:
    """Up to `limit` open nominations sharing whole words with `text`, best matches first."""
    words = meaningful_words(text)
    if not words:
        return []
    query = _suggestions(viewer_id).where(Nomination.state.in_(workflow.OPEN_STATES))
    query = with_any_word(query, session.get_bind().dialect.name, words).order_by(Nomination.id.desc()).limit(limit)
    return [Suggestion(*row) for row in session.execute(query)]


def suggestion(*, session: Session, nomination_id: int, viewer_id: int) -> Suggestion | None:
    """One nomination as the suggestions show it, after the viewer said "me too"."""
    row = session.execute(_suggestions(viewer_id).where(Nomination.id == nomination_id)).first()
    return Suggestion(*row) if row else None


def _suggestions(viewer_id: int):
    supporters = select(func.count()).where(Supporter.nomination_id == Nomination.id).scalar_subquery()
    supports = exists().where(Supporter.nomination_id == Nomination.id, Supporter.user_id == viewer_id)
    return (select(Nomination.id, Nomination.title, Nomination.state, Department.name, supporters, supports,
                   Nomination.submitter_id == viewer_id)
            .join(Department, Department.id == Nomination.department_id))
