"""How people are named on a nomination: as the board, always themselves; as an anonymous nomination's
submitter, "the submitter (anonymous)"; and nobody learns of a change they may not act on."""

from datetime import date

import openpyxl
import pytest

from burden_tracker import hours
from burden_tracker.enums import Role, State
from burden_tracker.export import write_workbook
from tests.support.factories import make_nomination, make_user
from tests.support.web import csrf_token, sign_in

SECRET = "Quentin Zabriskie-Secret"
EVALUATION = {"minutes_per_occurrence": "2", "occurrences_per_week": "10", "clinicians_affected": "40",
              "confirmed_source": "internal policy", "note": "Checked on two wards."}


@pytest.fixture
def people(session):
    return {
        "secret_staff": make_user(session, Role.STAFF, name=SECRET, email="quentin.secret@example.org",
                                  can_sign_in=True),
        "secret_board": make_user(session, Role.STAFF, Role.BOARD, name="Beatrix Hidden-Board",
                                  email="beatrix.hidden@example.org", can_sign_in=True),
        "board": make_user(session, Role.STAFF, Role.BOARD, name="Dr. Alex Chen", can_sign_in=True),
        "staff": make_user(session, Role.STAFF, name="Linda Okoro", can_sign_in=True),
    }


def act(app, person, nomination_id: int, route: str, data: dict):
    """What one person posts from the nomination's page, in a browser of their own."""
    client = app.test_client()
    sign_in(client, person.email)
    token = csrf_token(client, f"/nominations/{nomination_id}")
    return client.post(f"/nominations/{nomination_id}/{route}", data={"csrf_token": token, **data})


def version_of(session, nomination) -> int:
    session.refresh(nomination)
    version = nomination.version
    session.commit()
    return version


def test_a_stale_decision_after_an_anonymous_withdrawal_names_no_one(app, session, people):
    nomination = make_nomination(session, submitter=people["secret_staff"], anonymous=True)
    stale = version_of(session, nomination)
    assert act(app, people["secret_staff"], nomination.id, "withdraw", {"version": stale}).status_code == 303

    refused = act(app, people["board"], nomination.id, "reject", {"version": stale, "note": "Not needed."})
    assert refused.status_code == 409
    page = refused.get_data(as_text=True)
    assert "changed by the submitter (anonymous)" in page
    assert SECRET not in page and "quentin.secret" not in page


def test_someone_who_may_not_withdraw_learns_nothing_of_the_latest_change(app, session, people):
    nomination = make_nomination(session, submitter=people["secret_staff"], anonymous=True)
    stale = version_of(session, nomination)
    act(app, people["secret_staff"], nomination.id, "withdraw", {"version": stale})

    refused = act(app, people["staff"], nomination.id, "withdraw", {"version": stale})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Only the person who submitted it can withdraw this nomination." in page
    assert "was changed by" not in page and SECRET not in page


def test_a_board_member_evaluating_their_own_anonymous_nomination_is_named_for_the_evaluation(
        app, client, session, people, tmp_path):
    nomination = make_nomination(session, submitter=people["secret_board"], anonymous=True, title="Fax cover sheet",
                                 submitted_on=date.today())
    act(app, people["secret_board"], nomination.id, "comments", {"body": "It takes me ten minutes a shift."})
    evaluated = act(app, people["secret_board"], nomination.id, "evaluate",
                    {"version": version_of(session, nomination), **EVALUATION})
    assert evaluated.status_code == 303

    act(app, people["staff"], nomination.id, "comments", {"body": "Same on 5 East."})
    sign_in(client, people["staff"].email)
    page = client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    assert "Submitted on" in page and "anonymously" in page
    history = page[page.index("History"):]
    assert "Beatrix Hidden-Board" in history  # the evaluation, made as the board
    assert "the submitter (anonymous)" in page  # the comment, made as the submitter
    assert page.count("Beatrix Hidden-Board") == 1

    path = tmp_path / "quarter.xlsx"
    quarter = hours.Quarter.containing(date.today())
    write_workbook(session=session, quarter=quarter, destination=path, generated_by="Test")
    decisions = openpyxl.load_workbook(path, read_only=True)["Decisions"]
    who = [row[5] for row in decisions.iter_rows(min_row=2, values_only=True) if row[2] == "Fax cover sheet"]
    assert who == ["Beatrix Hidden-Board"]


def test_a_comment_by_a_named_submitter_names_them(app, client, session, people):
    nomination = make_nomination(session, submitter=people["staff"])
    act(app, people["staff"], nomination.id, "comments", {"body": "Still happening."})
    sign_in(client, people["board"].email)
    page = client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    assert "the submitter (anonymous)" not in page
    assert page.count("Linda Okoro") == 3  # submitted by, its history's "Submitted.", the comment


def test_after_an_anonymous_withdrawal_the_history_says_the_submitter_withdrew_it(app, client, session, people):
    nomination = make_nomination(session, submitter=people["secret_board"], anonymous=True, state=State.PROPOSED)
    act(app, people["secret_board"], nomination.id, "withdraw", {"version": version_of(session, nomination)})
    act(app, people["board"], nomination.id, "comments", {"body": "Noted."})
    sign_in(client, people["staff"].email)
    page = client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    assert "the submitter (anonymous)" in page and "Beatrix" not in page and "beatrix" not in page
    assert "Dr. Alex Chen" in page
