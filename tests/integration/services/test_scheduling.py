"""The board's schedule, on both databases: an owner or a due day for several nominations at once, refused item by
item where the state does not allow it, each change in the history and told to the owner; and the owners reminded
once for each due day."""

from datetime import date

import pytest
from sqlalchemy import select

from burden_tracker.enums import EventKind, NoticeEmail, Role, State
from burden_tracker.errors import DomainError
from burden_tracker.models import Event, Nomination, Notification
from burden_tracker.queries.reference import organization_today
from burden_tracker.services.notices import set_notice_email
from burden_tracker.services.scheduling import assign_owner, remind_owners, set_due_day
from tests.support.factories import limit_to_sites, make_department, make_nomination, make_site, make_user

TODAY = date(2026, 12, 7)


@pytest.fixture
def board(session):
    return {"chair": make_user(session, Role.STAFF, Role.BOARD, name="Dr. Alex Chen"),
            "second": make_user(session, Role.BOARD, name="Linda Okoro"),
            "staff": make_user(session, name="Sam Rivera")}


def _notices(session, user) -> list[str]:
    return list(session.scalars(select(Notification.message).where(Notification.user_id == user.id)
                                .order_by(Notification.id)))


def _history(session, nomination_id) -> list[str]:
    return [e.note_text for e in session.scalars(select(Event).where(
        Event.nomination_id == nomination_id, Event.kind == EventKind.SCHEDULED).order_by(Event.id))]


def test_an_owner_is_given_to_the_open_nominations_and_refused_item_by_item_for_the_rest(session, board):
    proposed = make_nomination(session, title="Pain score charted twice")
    evaluated = make_nomination(session, state=State.EVALUATED, title="Sepsis alert fires twice")
    retired = make_nomination(session, state=State.RETIRED, title="Fax the discharge summary")
    done = assign_owner(session=session, nomination_ids=[proposed.id, evaluated.id, retired.id, 999_999],
                        owner_id=board["second"].id, actor=board["chair"])

    assert done.changed == 2
    assert [(r.nomination_id, r.title, r.reason) for r in done.refused] == [
        (retired.id, "Fax the discharge summary",
         "it is retired: it gets an owner only while it waits for the board."),
        (999_999, "", "there is no such nomination.")]
    owners = dict(session.execute(select(Nomination.id, Nomination.owner_id)).all())
    assert (owners[proposed.id], owners[evaluated.id], owners[retired.id]) == (board["second"].id,) * 2 + (None,)
    assert _history(session, proposed.id) == ["Made Linda Okoro its owner."]
    assert _history(session, retired.id) == []
    assert _notices(session, board["second"]) == [
        "You are now the owner of “Pain score charted twice”: its evaluation is yours to lead.",
        "You are now the owner of “Sepsis alert fires twice”: its evaluation is yours to lead."]


def test_only_a_board_member_owns_and_only_a_board_member_schedules(session, board):
    nomination = make_nomination(session)
    with pytest.raises(DomainError, match="Choose a board member to own them."):
        assign_owner(session=session, nomination_ids=[nomination.id], owner_id=board["staff"].id,
                     actor=board["chair"])
    with pytest.raises(DomainError, match="Only board members"):
        set_due_day(session=session, nomination_ids=[nomination.id], due_on=TODAY, actor=board["staff"],
                    today=TODAY)
    with pytest.raises(DomainError, match="Tick the nominations to change first."):
        set_due_day(session=session, nomination_ids=[], due_on=TODAY, actor=board["chair"], today=TODAY)


def test_a_due_day_is_set_told_to_the_owner_and_cleared(session, board):
    owned = make_nomination(session, title="Pain score charted twice", owner_id=board["second"].id)
    version = owned.version
    set_due_day(session=session, nomination_ids=[owned.id], due_on=date(2026, 12, 20), actor=board["chair"],
                today=TODAY)
    assert session.get(Nomination, owned.id).due_on == date(2026, 12, 20)
    assert session.get(Nomination, owned.id).version == version + 1  # a form open on the old page is now stale
    assert _notices(session, board["second"]) == [
        "“Pain score charted twice”: due for evaluation on 2026-12-20."]
    with pytest.raises(DomainError, match="A due day is today or later."):
        set_due_day(session=session, nomination_ids=[owned.id], due_on=date(2026, 12, 6), actor=board["chair"],
                    today=TODAY)
    set_due_day(session=session, nomination_ids=[owned.id], due_on=None, actor=board["chair"], today=TODAY)
    assert session.get(Nomination, owned.id).due_on is None
    assert _history(session, owned.id) == ["Due for evaluation on 2026-12-20.", "No longer has a due day."]


def test_owners_are_reminded_once_for_each_due_day(session, board):
    owner = board["second"]
    tomorrow = make_nomination(session, title="Due tomorrow", owner_id=owner.id, due_on=date(2026, 12, 8))
    make_nomination(session, title="Due next week", owner_id=owner.id, due_on=date(2026, 12, 14))
    make_nomination(session, title="Past due", owner_id=owner.id, due_on=date(2026, 12, 1))
    make_nomination(session, title="Nobody's", due_on=date(2026, 12, 1))
    make_nomination(session, title="Retired", state=State.RETIRED, owner_id=owner.id, due_on=date(2026, 12, 1))

    assert remind_owners(session=session, today=TODAY) == 2
    assert remind_owners(session=session, today=TODAY) == 0  # once
    assert _notices(session, owner) == [
        "“Due tomorrow” is due for evaluation tomorrow: its evaluation is yours.",
        "“Past due” was due for evaluation on 2026-12-01: its evaluation is yours."]
    assert remind_owners(session=session, today=date(2026, 12, 13)) == 1  # next week's is due tomorrow now
    set_due_day(session=session, nomination_ids=[tomorrow.id], due_on=date(2026, 12, 13), actor=board["chair"],
                today=date(2026, 12, 13))
    assert remind_owners(session=session, today=date(2026, 12, 13)) == 1  # a new due day: reminded again
    assert _notices(session, owner)[-1] == "“Due tomorrow” is due for evaluation today: its evaluation is yours."


def test_the_daily_reminder_reaches_the_owner_in_their_digest(app, runner, session, inbox, board):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=inbox.port, MAIL_FROM="tracker@hospital.test",
                      BASE_URL="https://burden.hospital.test/")
    owner = make_user(session, Role.BOARD, email="owner@hospital.test")
    set_notice_email(session=session, user_id=owner.id, choice=NoticeEmail.DAILY)
    make_nomination(session, title="Due today", owner_id=owner.id, due_on=organization_today(session=session))
    session.commit()
    assert runner.invoke(args=["remind"]).output == "Reminded the owners of 1 nomination.\n"
    assert runner.invoke(args=["remind"]).output == "Reminded the owners of 0 nominations.\n"
    assert runner.invoke(args=["digest", "daily"]).output == "Sent 1 daily digest.\n"
    [digest] = inbox.to("owner@hospital.test")
    assert "“Due today” is due for evaluation today: its evaluation is yours." in digest.get_content()


def test_a_board_member_of_other_sites_and_an_owner_of_other_sites_are_refused_item_by_item(session, board):
    queens, kona = make_site(session, "Queen's"), make_site(session, "Kona")
    at_queens = make_nomination(session, title="Sepsis alert fires twice",
                                department_id=make_department(session, "Queen's ED", site=queens).id)
    at_kona = make_nomination(session, title="Fax cover sheet",
                              department_id=make_department(session, "Kona ED", site=kona).id)
    limit_to_sites(session, board["second"], queens)
    done = assign_owner(session=session, nomination_ids=[at_queens.id, at_kona.id], owner_id=board["chair"].id,
                        actor=board["second"])
    assert done.changed == 1
    assert [(r.nomination_id, r.reason) for r in done.refused] == [(at_kona.id, "its site is not one you decide for.")]
    done = assign_owner(session=session, nomination_ids=[at_queens.id, at_kona.id], owner_id=board["second"].id,
                        actor=board["chair"])
    assert [(r.nomination_id, r.reason) for r in done.refused] == [
        (at_kona.id, "its site is not one its new owner decides for.")]
    session.expire_all()
    assert (session.get(Nomination, at_queens.id).owner_id, session.get(Nomination, at_kona.id).owner_id) == (
        board["second"].id, None)
