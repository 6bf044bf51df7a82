"""The board redacts a stored text that should never have been typed: it leaves every page, export and email not
yet sent, and the history records who redacted which text and when, never what it said."""

import io
from datetime import date

import openpyxl
import pytest
from flask import url_for
from sqlalchemy import func, select

from burden_tracker import hours
from burden_tracker.enums import EventKind, Role, State
from burden_tracker.export import write_workbook
from burden_tracker.models import REDACTED, BoardNote, Comment, Event, EventNote, Notification, event_note
from burden_tracker.services.mail import send_pending_notices
from burden_tracker.services.nominations import support
from burden_tracker.services.transitions import move_nomination
from burden_tracker.workflow import Move
from tests.support.factories import make_nomination, make_user
from tests.support.routes import ARGUMENTS
from tests.support.web import HTMX, csrf_token, sign_in

# What looks like a patient's details, typed where it should not have been.
RECORD_NUMBER = "MRN 00451234"
RATIONALE = f"Needed for the audit of {RECORD_NUMBER}, so it stays."
TITLE = "Wristband reprinted for Mr. Ortega at every transfer"


@pytest.fixture
def chair(session):
    return make_user(session, Role.STAFF, Role.BOARD, can_sign_in=True, name="Dr. Alex Chen")


@pytest.fixture
def submitter(session):
    return make_user(session, Role.STAFF, can_sign_in=True, name="Pat Submitter")


@pytest.fixture
def follower(session):
    return make_user(session, Role.STAFF, can_sign_in=True)


def client_of(app, user):
    client = app.test_client()
    sign_in(client, user.email)
    return client


def redact(client, nomination_id: int, key: str):
    token = csrf_token(client, f"/nominations/{nomination_id}")
    return client.post(f"/nominations/{nomination_id}/redact", data={"csrf_token": token, "text": key})


def rejected(session, chair, submitter, follower):
    """Rejected today with a rationale that quotes a record number; the follower has a notice not yet emailed."""
    nomination = make_nomination(session, submitter=submitter, title=TITLE, submitted_on=date.today())
    support(session=session, nomination_id=nomination.id, user=follower, occurrences_per_week=5)
    return move_nomination(session=session, nomination_id=nomination.id, move=Move.REJECT, actor=chair,
                           expected_version=nomination.version, fields={"note": RATIONALE})


def workbook_text(session, tmp_path) -> str:
    path = tmp_path / "quarter.xlsx"
    write_workbook(session=session, quarter=hours.Quarter.containing(date.today()), destination=path,
                   generated_by="Test Runner")
    return _cells(openpyxl.load_workbook(path, read_only=True))


def _cells(book) -> str:
    return "\n".join(str(value) for sheet in book for row in sheet.iter_rows(values_only=True) for value in row)


def _text_of(response) -> str:
    if response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
        return _cells(openpyxl.load_workbook(io.BytesIO(response.get_data()), read_only=True))
    return response.get_data(as_text=True)


def emailed_text(session, inbox) -> str:
    send_pending_notices(session=session, smtp_host="127.0.0.1", smtp_port=inbox.port, mail_from="t@hospital.test",
                         nomination_address=None)
    return "\n".join(message.get_content() + message["Subject"] for _, message in inbox.received)


def test_a_redacted_rationale_leaves_every_page_the_workbook_and_emails_not_yet_sent(
        app, session, chair, submitter, follower, inbox, tmp_path):
    nomination = rejected(session, chair, submitter, follower)
    board, staff = client_of(app, chair), client_of(app, submitter)
    assert RECORD_NUMBER in staff.get(f"/nominations/{nomination.id}").get_data(as_text=True)

    answer = redact(board, nomination.id, "rejection_rationale")

    assert answer.status_code == 303
    page = board.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Redacted the rejection rationale." in page
    assert "Dr. Alex Chen: Redacted the rejection rationale." in page  # the history: who, which text, when
    for client, path in ((board, f"/nominations/{nomination.id}"), (staff, f"/nominations/{nomination.id}"),
                         (staff, "/mine"), (board, "/board"), (staff, "/nominations?state=rejected")):
        answer = client.get(path)
        assert answer.status_code == 200 and RECORD_NUMBER not in answer.get_data(as_text=True), path
    assert REDACTED in staff.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    assert RECORD_NUMBER not in workbook_text(session, tmp_path)
    emailed = emailed_text(session, inbox)
    assert "rejected" in emailed and RECORD_NUMBER not in emailed


def test_the_record_of_a_redaction_names_the_text_and_who_never_the_words(app, session, chair, submitter, follower):
    nomination = rejected(session, chair, submitter, follower)
    events_before = session.scalar(select(func.count()).select_from(Event))
    session.commit()

    assert redact(client_of(app, chair), nomination.id, "rejection_rationale").status_code == 303

    notes = session.execute(select(EventNote.body, EventNote.redacted_by_id).join(Event, Event.note_id == EventNote.id)
                            .where(Event.nomination_id == nomination.id).order_by(Event.id)).all()
    assert notes == [(REDACTED, chair.id), ("Redacted the rejection rationale.", None)]
    record = session.scalars(select(Event).where(Event.kind == EventKind.REDACTED)).one()
    assert (record.actor_id, record.nomination_id) == (chair.id, nomination.id)
    assert session.scalar(select(func.count()).select_from(Event)) == events_before + 1  # the others untouched
    session.refresh(nomination)
    assert nomination.rejection_rationale == REDACTED and nomination.state is State.REJECTED


def test_a_redacted_title_leaves_the_notices_that_quote_it_and_the_merge_note_of_the_survivor(
        app, session, chair, submitter, follower):
    nomination = rejected(session, chair, submitter, follower)
    survivor = make_nomination(session, title="Wristbands reprinted at transfers")
    session.add(Event(nomination_id=survivor.id, kind=EventKind.MERGED,  # as merges wrote it before 0012
                      note=event_note(f"#{nomination.id} “{TITLE}” was merged into this as a duplicate.")))
    nomination.duplicate_of_id = survivor.id
    session.add(nomination)
    session.commit()

    assert redact(client_of(app, chair), nomination.id, "title").status_code == 303

    messages = session.scalars(select(Notification.message).where(Notification.nomination_id == nomination.id)).all()
    session.commit()  # end the read: on SQLite it would keep the app's sign-ins waiting
    assert messages and all("Ortega" not in message for message in messages)
    assert messages[0] == f"“{REDACTED}” moved from proposed to rejected."
    for client in (client_of(app, chair), client_of(app, follower)):
        for path in (f"/nominations/{survivor.id}", f"/nominations/{nomination.id}", "/nominations", "/notices"):
            answer = client.get(path)
            assert answer.status_code == 200 and "Ortega" not in answer.get_data(as_text=True), path


def test_comments_and_board_notes_are_redacted_one_at_a_time(app, session, chair, submitter):
    nomination = make_nomination(session, submitter=submitter)
    kept, typo = (Comment(nomination_id=nomination.id, author_id=submitter.id, body=body)
                  for body in ("Same on 4 West.", f"Same for {RECORD_NUMBER} on 4 West."))
    note = BoardNote(nomination_id=nomination.id, author_id=chair.id, body=f"Ask about {RECORD_NUMBER}.")
    session.add_all([kept, typo, note])
    session.commit()
    board = client_of(app, chair)

    assert redact(board, nomination.id, f"comment-{typo.id}").status_code == 303
    assert redact(board, nomination.id, f"board-note-{note.id}").status_code == 303

    page = board.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    assert RECORD_NUMBER not in page and "Same on 4 West." in page
    assert "Redacted a comment." in page and "Redacted a board note." in page
    bodies = set(session.scalars(select(Comment.body).where(Comment.nomination_id == nomination.id)))
    assert bodies == {"Same on 4 West.", REDACTED}


def test_the_board_picks_from_the_texts_still_there(app, session, chair, submitter, follower):
    nomination = rejected(session, chair, submitter, follower)
    board = client_of(app, chair)
    page = board.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    assert 'value="rejection_rationale"' in page and "The rejection rationale: “Needed for the audit" in page

    redact(board, nomination.id, "rejection_rationale")

    assert 'value="rejection_rationale"' not in board.get(f"/nominations/{nomination.id}").get_data(as_text=True)


@pytest.mark.parametrize("key", ["rejection_rationale", "comment-999999", "note-1", "password_hash", "", "-"])
def test_a_text_not_there_is_refused_beside_the_field_and_changes_nothing(app, session, chair, submitter, follower,
                                                                           key):
    nomination = rejected(session, chair, submitter, follower)
    board = client_of(app, chair)
    if key == "rejection_rationale":
        redact(board, nomination.id, key)  # already redacted: not offered any more
    events_before = session.scalar(select(func.count()).select_from(Event))
    session.commit()

    answer = redact(board, nomination.id, key)

    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert 'id="redact-text-error"' in page
    assert session.scalar(select(func.count()).select_from(Event)) == events_before


def test_staff_cannot_redact(app, session, chair, submitter, follower):
    nomination = rejected(session, chair, submitter, follower)
    staff = client_of(app, submitter)
    token = csrf_token(staff, f"/nominations/{nomination.id}")

    answer = staff.post(f"/nominations/{nomination.id}/redact",
                        data={"csrf_token": token, "text": "rejection_rationale"})

    assert answer.status_code == 403
    session.refresh(nomination)
    assert nomination.rejection_rationale == RATIONALE


def test_no_page_or_fragment_shows_a_redacted_text_to_anyone(app, session, chair, submitter, follower, inbox,
                                                              tmp_path):
    """Every route that answers GET, as every role, as a page and as an htmx fragment; the workbook; the emails."""
    nomination = rejected(session, chair, submitter, follower)
    nomination.description = f"Reprinted each time for {RECORD_NUMBER}."
    session.add(nomination)
    session.add(Comment(nomination_id=nomination.id, author_id=follower.id, body=f"Also {RECORD_NUMBER}."))
    session.commit()
    comment_id = session.scalars(select(Comment.id).where(Comment.nomination_id == nomination.id)).one()
    session.commit()
    board = client_of(app, chair)
    for key in ("rejection_rationale", "description", f"comment-{comment_id}"):
        assert redact(board, nomination.id, key).status_code == 303
    readers = [chair, submitter, follower, make_user(session, Role.EXECUTIVE, can_sign_in=True),
               make_user(session, Role.ADMIN, can_sign_in=True)]
    options = dict(ARGUMENTS, nomination_id=[nomination.id], quarter=[str(hours.Quarter.containing(date.today()))],
                   user_id=[person.id for person in readers], item_id=[nomination.department_id])
    session.commit()
    for reader in readers:
        client = client_of(app, reader)
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods:
                continue
            for args in _every_choice(rule.arguments, options):  # KeyError: a new argument needs a value here
                with app.test_request_context():
                    url = url_for(rule.endpoint, **args)
                for headers in ({}, HTMX):
                    with client.get(url, headers=headers) as response:
                        assert RECORD_NUMBER not in _text_of(response), f"{reader.email} GET {url}"
    assert RECORD_NUMBER not in workbook_text(session, tmp_path)
    assert RECORD_NUMBER not in emailed_text(session, inbox)


def _every_choice(arguments, options) -> list[dict]:
    chosen = [{}]
    for argument in sorted(arguments):
        chosen = [dict(values, **{argument: value}) for values in chosen for value in options[argument]]
    return chosen
