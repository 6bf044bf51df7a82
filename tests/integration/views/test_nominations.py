"""One nomination's page: what it shows, comments and "me too" in place, withdrawing, anonymity."""

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from burden_tracker.enums import EventKind, Role, State
from burden_tracker.models import Comment, Event, Nomination, Supporter, event_note
from burden_tracker.services.nominations import comment, support
from burden_tracker.services.transitions import move_nomination
from burden_tracker.workflow import Move
from tests.support.factories import make_nomination, make_user
from tests.support.web import HTMX, count, csrf_token, sign_in


@pytest.fixture
def nurse(session):
    return make_user(session, can_sign_in=True, name="Priya Nair")


@pytest.fixture
def nurse_client(client, nurse):
    sign_in(client, nurse.email)
    return client


def test_the_page_shows_every_field_the_estimate_and_how_it_was_computed(nurse_client, session):
    nomination = make_nomination(session, minutes_per_occurrence=0.4, occurrences_per_week=36,
                                 clinicians_affected=900, suggested_change="Pull it from the monitor.")
    page = nurse_client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    for text in (nomination.title, nomination.description, "nurse", "internal policy", "Emergency Department",
                 "Pull it from the monitor.", "About 9,936 clinician-hours a year (4.8 FTE)",
                 "0.4 minutes × 36 times a week × 900 people ÷ 60\n    = 216 hours a week; × 46 working weeks",
                 "not yet validated by the board", "proposed"):
        assert text in page


def test_a_new_nominations_history_begins_with_its_submission(nurse_client, session, nurse):
    mine = make_nomination(session, submitter=nurse, submitted_on=date(2026, 11, 30))
    hidden = make_nomination(session, submitter=nurse, anonymous=True, submitted_on=date(2026, 12, 1))
    history = timeline_of(nurse_client.get(f"/nominations/{mine.id}").get_data(as_text=True))
    assert history == ['<li><time datetime="2026-11-30">2026-11-30</time> · Priya Nair: Submitted.</li>']
    history = timeline_of(nurse_client.get(f"/nominations/{hidden.id}").get_data(as_text=True))
    assert history == ['<li><time datetime="2026-12-01">2026-12-01</time> · the submitter (anonymous): Submitted.</li>']


def test_an_imported_nominations_history_begins_with_its_arrival_once(nurse_client, session):
    imported = make_nomination(session)
    session.add(Event(nomination_id=imported.id, kind=EventKind.IMPORTED, to_state=State.PROPOSED,
                      at=datetime(2026, 1, 5, tzinfo=UTC), note=event_note("Imported from unit-sheet.xlsx.")))
    session.commit()
    history = timeline_of(nurse_client.get(f"/nominations/{imported.id}").get_data(as_text=True))
    assert len(history) == 1 and "Recorded as proposed. Imported from unit-sheet.xlsx." in history[0]


def timeline_of(page: str) -> list[str]:
    section = page[page.index('<section id="timeline"'):]
    return re.findall(r"<li>.*?</li>", section[:section.index("</section>")], re.S)


def test_an_unknown_nomination_is_a_404(nurse_client):
    assert nurse_client.get("/nominations/999999").status_code == 404


def test_a_comment_is_added_in_place_and_escaped(nurse_client, session):
    nomination = make_nomination(session)
    token = csrf_token(nurse_client, f"/nominations/{nomination.id}")
    response = nurse_client.post(f"/nominations/{nomination.id}/comments", headers=HTMX,
                                 data={"body": "<script>alert('x')</script> Same on 4 West", "csrf_token": token})
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in fragment and 'id="comments"' in fragment
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Same on 4 West" in fragment
    assert "Priya Nair" in fragment
    assert count(session, Comment, nomination_id=nomination.id) == 1


@pytest.mark.parametrize("body,message", [("   ", "Write a comment first."), ("x" * 5001, "at most 5000")])
def test_an_empty_or_huge_comment_is_refused_beside_the_field(nurse_client, session, body, message):
    nomination = make_nomination(session)
    token = csrf_token(nurse_client, f"/nominations/{nomination.id}")
    response = nurse_client.post(f"/nominations/{nomination.id}/comments", headers=HTMX,
                                 data={"body": body, "csrf_token": token})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True).replace(",", "")
    assert count(session, Comment) == 0


def test_me_too_counts_a_person_once_with_their_own_frequency(nurse_client, session, nurse):
    nomination = make_nomination(session)
    token = csrf_token(nurse_client, f"/nominations/{nomination.id}")
    first = nurse_client.post(f"/nominations/{nomination.id}/support", headers=HTMX,
                              data={"occurrences_per_week": "12.5", "csrf_token": token})
    assert first.status_code == 200 and "You support this nomination." in first.get_data(as_text=True)
    assert "1 person has said" in first.get_data(as_text=True)
    again = nurse_client.post(f"/nominations/{nomination.id}/support", headers=HTMX,
                              data={"occurrences_per_week": "3", "csrf_token": token})
    assert again.status_code == 422 and "already support" in again.get_data(as_text=True)
    supporter = session.scalars(select(Supporter)).one()
    assert (supporter.user_id, supporter.occurrences_per_week) == (nurse.id, 12.5)


def test_a_supporter_takes_back_their_me_too_while_it_is_open(nurse_client, session, nurse):
    nomination = make_nomination(session)
    support(session=session, nomination_id=nomination.id, user=nurse, occurrences_per_week=5)
    page = nurse_client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    token = csrf_token(nurse_client, f"/nominations/{nomination.id}")
    assert "Take back my “me too”" in page
    answer = nurse_client.post(f"/nominations/{nomination.id}/support/take-back", headers=HTMX,
                               data={"csrf_token": token})
    fragment = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "0 people have said “me too”" in fragment and "Me too</button>" in fragment
    assert count(session, Supporter, nomination_id=nomination.id) == 0
    again = nurse_client.post(f"/nominations/{nomination.id}/support/take-back", headers=HTMX,
                              data={"csrf_token": token})
    assert again.status_code == 422 and "You do not support this nomination." in again.get_data(as_text=True)


def test_a_decided_nomination_keeps_the_support_it_was_decided_with(nurse_client, session, nurse):
    nomination = make_nomination(session)
    support(session=session, nomination_id=nomination.id, user=nurse, occurrences_per_week=5)
    nomination.state = State.REJECTED
    session.commit()
    assert "Take back" not in nurse_client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    answer = nurse_client.post(f"/nominations/{nomination.id}/support/take-back", headers=HTMX,
                               data={"csrf_token": csrf_token(nurse_client, f"/nominations/{nomination.id}")})
    assert answer.status_code == 422 and "the support it was decided with stays" in answer.get_data(as_text=True)
    assert count(session, Supporter, nomination_id=nomination.id) == 1


def test_the_page_names_who_said_me_too_in_order(nurse_client, session, nurse):
    nomination = make_nomination(session, anonymous=True)
    for name in ("Sam Rivera", "Ada Osei"):
        support(session=session, nomination_id=nomination.id, user=make_user(session, name=name),
                occurrences_per_week=5)
    page = nurse_client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    assert '<p class="supporters">Sam Rivera and Ada Osei.</p>' in page
    support(session=session, nomination_id=nomination.id, user=nurse, occurrences_per_week=5)
    page = nurse_client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    assert '<p class="supporters">Sam Rivera, Ada Osei and Priya Nair.</p>' in page


@pytest.mark.parametrize("frequency,message", [("0", "more than 0"), ("abc", "must be a number"),
                                               ("inf", "finite"), ("5000", "at most 1,000")])
def test_a_bad_me_too_frequency_is_refused(nurse_client, session, frequency, message):
    nomination = make_nomination(session)
    token = csrf_token(nurse_client, f"/nominations/{nomination.id}")
    response = nurse_client.post(f"/nominations/{nomination.id}/support", headers=HTMX,
                                 data={"occurrences_per_week": frequency, "csrf_token": token})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert count(session, Supporter) == 0


def test_the_submitter_can_withdraw_a_proposed_nomination(nurse_client, session, nurse):
    nomination = make_nomination(session, submitter=nurse)
    page = nurse_client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    assert "Withdraw my nomination" in page
    response = nurse_client.post(f"/nominations/{nomination.id}/withdraw",
                                 data={"version": "1", "csrf_token": csrf_token(nurse_client, "/nominations")})
    assert response.status_code == 303
    session.expire_all()
    assert session.get(Nomination, nomination.id).state is State.WITHDRAWN
    assert "You withdrew your nomination." in nurse_client.get(response.headers["Location"]).get_data(as_text=True)


def test_others_see_no_withdraw_button_and_cannot_withdraw(nurse_client, session):
    nomination = make_nomination(session)
    assert "Withdraw my nomination" not in nurse_client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    response = nurse_client.post(f"/nominations/{nomination.id}/withdraw",
                                 data={"version": "1", "csrf_token": csrf_token(nurse_client, "/nominations")})
    assert response.status_code == 422
    assert "Only the person who submitted it" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Nomination, nomination.id).state is State.PROPOSED


def test_a_withdrawal_from_a_stale_page_is_refused_with_who_changed_it(nurse_client, session, nurse):
    nomination = make_nomination(session, submitter=nurse)
    board = make_user(session, Role.BOARD, name="Dr. Alex Chen")
    move_nomination(session=session, nomination_id=nomination.id, move=Move.REJECT, actor=board,
                    expected_version=1, fields={"note": "Required by the payer."})
    response = nurse_client.post(f"/nominations/{nomination.id}/withdraw",
                                 data={"version": "1", "csrf_token": csrf_token(nurse_client, "/nominations")})
    assert response.status_code == 409
    assert "changed by Dr. Alex Chen" in response.get_data(as_text=True)
    assert count(session, Event, nomination_id=nomination.id) == 1


def test_an_anonymous_submitter_is_named_nowhere_on_the_page(client, session):
    secret = make_user(session, can_sign_in=True, name="Secret Submitter")
    board = make_user(session, Role.STAFF, Role.BOARD, can_sign_in=True, name="Board Member")
    nomination = make_nomination(session, submitter=secret, anonymous=True)
    comment(session=session, nomination_id=nomination.id, author=secret, body="More detail from me.")
    move_nomination(session=session, nomination_id=nomination.id, move=Move.WITHDRAW, actor=secret,
                    expected_version=1, fields={})
    sign_in(client, board.email)
    page = client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    assert "Secret Submitter" not in page and secret.email not in page
    assert "anonymously" in page and "the submitter (anonymous)" in page


def test_an_executive_reads_the_page_but_gets_no_forms(client, session):
    executive = make_user(session, Role.EXECUTIVE, can_sign_in=True)
    nomination = make_nomination(session)
    sign_in(client, executive.email)
    page = client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    assert nomination.title in page and "Add comment" not in page and "Me too" not in page
    token = csrf_token(client, "/nominations")
    refused = client.post(f"/nominations/{nomination.id}/comments", data={"body": "hi", "csrf_token": token})
    assert refused.status_code == 403


@pytest.mark.parametrize("state", [State.RETIRED, State.REJECTED, State.WITHDRAWN, State.DUPLICATE])
def test_a_closed_nomination_offers_no_me_too(nurse_client, session, state):
    nomination = make_nomination(session, state=state)
    page = nurse_client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    assert "Me too" not in page and "Times a week for you" not in page


def test_a_comment_is_edited_and_hidden_in_place(client, session, nurse):
    nomination = make_nomination(session)
    note = comment(session=session, nomination_id=nomination.id, author=nurse, body="Same on 4 West.")
    chair = make_user(session, Role.STAFF, Role.BOARD, can_sign_in=True)
    sign_in(client, nurse.email)
    page = f"/nominations/{nomination.id}"
    edited = client.post(f"{page}/comments/{note.id}/edit", headers=HTMX,
                         data={"csrf_token": csrf_token(client, page), "body": "Same on 4 <b>West</b>."})
    fragment = edited.get_data(as_text=True)
    assert edited.status_code == 200 and "Same on 4 &lt;b&gt;West&lt;/b&gt;." in fragment and " · edited" in fragment
    empty = client.post(f"{page}/comments/{note.id}/edit", headers=HTMX,
                        data={"csrf_token": csrf_token(client, page), "body": " "})
    assert empty.status_code == 422 and "Write a comment first." in empty.get_data(as_text=True)
    assert client.post(f"{page}/comments/{note.id}/hide", headers=HTMX,
                       data={"csrf_token": csrf_token(client, page), "reason": "No."}).status_code == 403
    board = app_client(client)
    sign_in(board, chair.email)
    hidden = board.post(f"{page}/comments/{note.id}/hide", headers=HTMX,
                        data={"csrf_token": csrf_token(board, page), "reason": "It names a room."})
    assert hidden.status_code == 200 and "Hidden by the board; only its author and the board read it:" in \
        hidden.get_data(as_text=True)
    reader = app_client(client)
    sign_in(reader, make_user(session, can_sign_in=True).email)
    read = reader.get(page).get_data(as_text=True)
    assert "The board hid this comment." in read and "Same on 4" not in read and "It names a room." not in read


def app_client(client):
    return client.application.test_client()


def test_anyone_follows_or_stops_following_in_place(client, session):
    reader = make_user(session, Role.EXECUTIVE, can_sign_in=True)
    nomination = make_nomination(session)
    sign_in(client, reader.email)
    page = f"/nominations/{nomination.id}"
    assert ">Follow</button>" in client.get(page).get_data(as_text=True)
    followed = client.post(f"{page}/follow", headers=HTMX,
                           data={"csrf_token": csrf_token(client, page), "following": "yes"})
    assert followed.status_code == 200 and "You follow this nomination" in followed.get_data(as_text=True)
    stopped = client.post(f"{page}/follow", headers=HTMX,
                          data={"csrf_token": csrf_token(client, page), "following": "no"})
    assert ">Follow</button>" in stopped.get_data(as_text=True)
    assert client.post(f"{page}/follow", data={"csrf_token": csrf_token(client, page),
                                               "following": "maybe"}).status_code == 400


def test_opening_a_nomination_reads_its_notices_and_the_badge_says_so(nurse_client, session, nurse):
    nomination = make_nomination(session, submitter=nurse)
    comment(session=session, nomination_id=nomination.id, author=make_user(session), body="Same here.")
    assert '<span class="badge" aria-label="1 unread">' in nurse_client.get("/nominations").get_data(as_text=True)
    opened = nurse_client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    assert 'aria-label="1 unread"' not in opened, "the page that read it shows it read"
    assert 'aria-label="1 unread"' not in nurse_client.get("/nominations").get_data(as_text=True)
