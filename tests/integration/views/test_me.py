"""Closing the loop in the app: notices with an unread count, and "My nominations"."""

import re

import pytest
from sqlalchemy import select

from burden_tracker.enums import Role, State
from burden_tracker.models import Notification
from burden_tracker.queries.notices import unread_count
from burden_tracker.services.nominations import comment, support
from burden_tracker.services.transitions import move_nomination
from burden_tracker.workflow import Move
from tests.support.factories import make_nomination, make_user
from tests.support.web import csrf_token, sign_in

BADGE = re.compile(r'<span class="badge" aria-label="(\d+) unread">')


def notices_of(session, user) -> list[str]:
    return list(session.scalars(select(Notification.message).where(Notification.user_id == user.id)
                                .order_by(Notification.id)))


def row_of(page: str, title: str) -> str:
    start = page.index(title)
    return page[page.rindex("<tr>", 0, start):page.index("</tr>", start)]


def badge(page: str) -> int:
    match = BADGE.search(page)
    return int(match[1]) if match else 0


def reject(session, nomination, board_member, note="Required by the state board of nursing."):
    return move_nomination(session=session, nomination_id=nomination.id, move=Move.REJECT, actor=board_member,
                           expected_version=nomination.version, fields={"note": note})


@pytest.fixture
def people(session):
    submitter = make_user(session, can_sign_in=True)
    supporter = make_user(session, can_sign_in=True)
    board_member = make_user(session, Role.STAFF, Role.BOARD)
    nomination = make_nomination(session, submitter=submitter, title="Pain score charted twice")
    support(session=session, nomination_id=nomination.id, user=supporter, occurrences_per_week=10)
    return submitter, supporter, board_member, nomination


def test_submitter_and_supporters_are_told_of_each_move_and_comment_but_not_the_actor(session, people):
    submitter, supporter, board_member, nomination = people
    comment(session=session, nomination_id=nomination.id, author=board_member, body="Which flowsheet rows?")
    reject(session, nomination, board_member)
    told = ["New comment on “Pain score charted twice”.",
            "“Pain score charted twice” moved from proposed to rejected."]
    assert notices_of(session, submitter) == told
    assert notices_of(session, supporter) == told
    assert notices_of(session, board_member) == []


def test_a_supporters_comment_tells_the_submitter_but_not_the_supporter(session, people):
    submitter, supporter, _board_member, nomination = people
    comment(session=session, nomination_id=nomination.id, author=supporter, body="Same on our unit.")
    assert notices_of(session, submitter) == ["New comment on “Pain score charted twice”."]
    assert notices_of(session, supporter) == []


def two_notices_shown(client, session, people) -> str:
    """The submitter's notices page after a board member commented and then rejected."""
    submitter, _supporter, board_member, nomination = people
    comment(session=session, nomination_id=nomination.id, author=board_member, body="Which flowsheet rows?")
    reject(session, nomination, board_member)
    sign_in(client, submitter.email)
    return client.get("/notices").get_data(as_text=True)


def test_unread_count_shows_in_the_header_and_drops_to_zero_after_mark_all_as_read(client, session, people):
    submitter = people[0]
    page = two_notices_shown(client, session, people)
    assert badge(page) == 2 and "2 unread." in page
    shown = re.search(r'name="up_to" value="(\d+)"', page)[1]
    response = client.post("/notices/read", data={"csrf_token": csrf_token(client, "/notices"), "up_to": shown})
    assert response.status_code == 303 and response.headers["Location"].endswith("/notices")
    page = client.get("/notices").get_data(as_text=True)
    assert badge(page) == 0 and "All read." in page and "Mark all as read" not in page
    assert unread_count(session=session, user_id=submitter.id) == 0


def test_mark_all_as_read_without_a_csrf_token_is_refused_and_changes_nothing(client, session, people):
    submitter, _supporter, board_member, nomination = people
    reject(session, nomination, board_member)
    sign_in(client, submitter.email)
    assert client.post("/notices/read", data={}).status_code == 400
    assert unread_count(session=session, user_id=submitter.id) == 1


def test_a_notice_that_arrives_after_the_page_was_shown_stays_unread(client, session, people):
    submitter, _supporter, board_member, nomination = people
    comment(session=session, nomination_id=nomination.id, author=board_member, body="Which flowsheet rows?")
    sign_in(client, submitter.email)
    page = client.get("/notices").get_data(as_text=True)
    shown = re.search(r'name="up_to" value="(\d+)"', page)[1]
    token = csrf_token(client, "/notices")
    reject(session, nomination, board_member)
    client.post("/notices/read", data={"csrf_token": token, "up_to": shown})
    assert unread_count(session=session, user_id=submitter.id) == 1


def test_notices_are_newest_first_marked_new_in_words_and_link_to_the_nomination(client, session, people):
    nomination = people[3]
    page = two_notices_shown(client, session, people)
    assert page.index("moved from proposed to rejected") < page.index("New comment on")
    assert page.count('<strong class="new">New</strong>') == 2
    assert page.count(f'href="/nominations/{nomination.id}"') == 2


def test_nobody_sees_or_marks_another_persons_notices(client, session, people):
    submitter, _supporter, board_member, nomination = people
    reject(session, nomination, board_member)
    bystander = make_user(session, can_sign_in=True)
    sign_in(client, bystander.email)
    page = client.get("/notices").get_data(as_text=True)
    assert "Pain score charted twice" not in page and badge(page) == 0
    client.post("/notices/read", data={"csrf_token": csrf_token(client, "/notices")})
    assert unread_count(session=session, user_id=submitter.id) == 1


def test_my_nominations_lists_submitted_and_supported_with_state_and_decision_note(client, session, people):
    submitter, supporter, board_member, nomination = people
    reject(session, nomination, board_member, note="Required by the state board of nursing.")
    evaluated = make_nomination(session, title="Fall risk score asked at every visit", state=State.EVALUATED,
                                evaluation_note="Confirmed on three units.")
    support(session=session, nomination_id=evaluated.id, user=submitter, occurrences_per_week=5)
    make_nomination(session, title="Someone else's burden")
    sign_in(client, submitter.email)
    page = client.get("/mine").get_data(as_text=True)
    rejected_row = row_of(page, "Pain score charted twice")
    assert ">submitted<" in rejected_row and ">rejected<" in rejected_row
    assert "Required by the state board of nursing." in rejected_row
    evaluated_row = row_of(page, "Fall risk score")
    assert ">supported<" in evaluated_row and ">evaluated<" in evaluated_row
    assert "Confirmed on three units." in evaluated_row
    assert "Someone else" not in page
    assert f'href="/nominations/{nomination.id}"' in page and f'href="/nominations/{evaluated.id}"' in page


def test_a_reopened_nomination_shows_the_reason_for_reopening_as_its_latest_note(client, session, people):
    submitter, _supporter, board_member, _nomination = people
    nomination = make_nomination(session, submitter=submitter, title="Fall risk score asked at every visit",
                                 state=State.EVALUATED, evaluation_note="Confirmed on three units.")
    move_nomination(session=session, nomination_id=nomination.id, move=Move.REOPEN, actor=board_member,
                    expected_version=nomination.version, fields={"note": "How many units chart it?"})
    sign_in(client, submitter.email)
    page = client.get("/mine").get_data(as_text=True)
    row = row_of(page, "Fall risk score")
    assert ">proposed<" in row and "How many units chart it?" in row and "Confirmed on three units." not in row


def test_an_anonymous_nomination_is_shown_as_theirs_only_to_its_submitter(client, session, people):
    submitter, supporter, _board_member, _nomination = people
    secret = make_nomination(session, submitter=submitter, title="Restraint order renewed hourly", anonymous=True)
    support(session=session, nomination_id=secret.id, user=supporter, occurrences_per_week=3)
    sign_in(client, submitter.email)
    assert "submitted anonymously" in client.get("/mine").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/mine")})
    sign_in(client, supporter.email)
    page = client.get("/mine").get_data(as_text=True)
    row = row_of(page, "Restraint order renewed hourly")
    assert ">supported<" in row and "anonymous" not in row
    assert submitter.email not in page and submitter.name not in page


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.ADMIN])
def test_my_nominations_is_forbidden_but_notices_open_to_executives_and_admins(client, session, role):
    sign_in(client, make_user(session, role, can_sign_in=True).email)
    assert client.get("/mine").status_code == 403
    response = client.get("/notices")
    assert response.status_code == 200 and "No notices yet." in response.get_data(as_text=True)
