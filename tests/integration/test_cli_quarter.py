"""`burden-tracker quarter close` and `quarter reopen`, run as an operator would run them."""

import pytest

from burden_tracker.hours import Quarter
from burden_tracker.models import KeptQuarter, QuarterClosing
from burden_tracker.queries import quarter_report, reporting
from tests.support.reporting_data import build_program
from tests.support.web import count


@pytest.fixture
def program(session):
    build_program(session)
    session.commit()


def test_an_operator_closes_a_quarter_and_reopens_it_with_a_reason(runner, session, program):
    result = runner.invoke(args=["quarter", "close", "2026-Q3"])
    assert result.exit_code == 0, result.output
    assert "Closed 2026-Q3" in result.output
    report = quarter_report.report_for(session=session, quarter=Quarter(2026, 3))
    assert report.closed.by == "an operator, at the command line"
    session.rollback()

    again = runner.invoke(args=["quarter", "close", "2026-Q3"])
    assert again.exit_code == 1 and "2026-Q3 is already closed" in again.output

    no_reason = runner.invoke(args=["quarter", "reopen", "2026-Q3"])
    assert no_reason.exit_code == 2 and "--reason" in no_reason.output
    reopened = runner.invoke(args=["quarter", "reopen", "2026-Q3", "--reason", "Dated wrongly."])
    assert reopened.exit_code == 0 and "Reopened 2026-Q3." in reopened.output
    assert count(session, QuarterClosing, reopened_at=None) == 0


@pytest.mark.parametrize(("quarter", "message"), [
    ("2026-Q9", "a year has four, Q1 to Q4"), ("garbage", "write it like 2026-Q3"), ("2999-Q1", "is not over")])
def test_a_quarter_that_cannot_be_closed_is_refused_and_nothing_is_stored(runner, session, program, quarter, message):
    result = runner.invoke(args=["quarter", "close", quarter])
    assert result.exit_code == 1 and message in result.output
    assert count(session, QuarterClosing) == 0


def test_an_operator_counts_the_kept_figures_afresh_after_a_change_made_around_the_application(runner, session,
                                                                                            program):
    first = runner.invoke(args=["quarter", "keep"])
    assert first.exit_code == 0, first.output
    session.rollback()
    window = reporting.current_quarter(session=session).last(8)
    assert first.output == f"Counted {', '.join(map(str, window))}.\n"  # such as 2025-Q1, …, 2026-Q4
    assert count(session, KeptQuarter) == 8
    again = runner.invoke(args=["quarter", "keep"])
    assert again.output == "Every kept quarter was up to date.\n"
