"""Jobs that failed their last try: kept with what went wrong, on one line and cut to the column, and cleared only
by an admin."""

import pytest
from sqlmodel import select

from burden_tracker.enums import Role
from burden_tracker.errors import DomainError
from burden_tracker.models import FailedJob
from burden_tracker.queries.failed_jobs import recent_failures
from burden_tracker.services.failed_jobs import clear_failures, keep_failure
from tests.support.factories import make_user


def test_a_failure_is_kept_on_one_line_and_cut_to_500_characters(session):
    keep_failure(session=session, job="email_notices", error="JobFailed:\n  the mail server\tfailed", tries=6)
    keep_failure(session=session, job="morning_round", error="x" * 600, tries=1)
    failures, count = recent_failures(session=session)
    assert count == 2
    assert [(f.job, f.tries) for f in failures] == [("morning_round", 1), ("email_notices", 6)]
    assert failures[1].error == "JobFailed: the mail server failed"
    assert len(failures[0].error) == 500 and failures[0].error.endswith("x…")


def test_only_an_admin_clears_the_list(session):
    keep_failure(session=session, job="email_person", error="JobFailed: no", tries=6)
    with pytest.raises(DomainError, match="Only admins clear the failed jobs."):
        clear_failures(session=session, actor=make_user(session, Role.BOARD))
    assert len(session.exec(select(FailedJob)).all()) == 1
    assert clear_failures(session=session, actor=make_user(session, Role.ADMIN)) == 1
    assert recent_failures(session=session) == ([], 0)
