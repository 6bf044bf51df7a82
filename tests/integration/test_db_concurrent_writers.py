"""Several worker processes writing at once, as gunicorn's workers do: nothing lost, nothing locked."""

import multiprocessing

from sqlalchemy import func, select

from burden_tracker.db import create_db_engine, open_session
from burden_tracker.models import Comment, Notification, User
from burden_tracker.services.nominations import comment
from tests.support.factories import make_nomination, make_user

PROCESSES = 4
COMMENTS_EACH = 40


def write_comments(database_url: str, nomination_id: int, author_id: int) -> str | None:
    """Each comment reads the nomination, then writes the comment and notices: a read-then-write."""
    engine = create_db_engine(database_url)
    try:
        for number in range(COMMENTS_EACH):
            with open_session(engine) as session:
                author = session.get(User, author_id)
                comment(session=session, nomination_id=nomination_id, author=author, body=f"Same here ({number})")
    except Exception as error:  # returned, so the test shows what went wrong in the child
        return repr(error)
    finally:
        engine.dispose()
    return None


def test_four_processes_comment_at_once_without_database_is_locked(session, database_url):
    submitter = make_user(session)
    nomination = make_nomination(session, submitter=submitter)
    authors = [make_user(session) for _ in range(PROCESSES)]

    with multiprocessing.get_context("spawn").Pool(PROCESSES) as pool:
        failures = pool.starmap(write_comments, [(database_url, nomination.id, a.id) for a in authors])

    assert failures == [None] * PROCESSES
    total = PROCESSES * COMMENTS_EACH
    assert session.scalar(select(func.count()).select_from(Comment)) == total
    told_submitter = select(func.count()).select_from(Notification).where(Notification.user_id == submitter.id)
    assert session.scalar(told_submitter) == total
