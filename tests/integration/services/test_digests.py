"""Notices by email as each person chose on /me/settings: at once, in a daily or weekly digest sent by
`burden-tracker digest`, or not at all; through a real SMTP server."""

from datetime import UTC, datetime

from sqlalchemy import select, update

from burden_tracker.enums import NoticeEmail
from burden_tracker.models import Notification, Settings
from burden_tracker.services.mail import send_pending_notices
from burden_tracker.services.nominations import comment
from burden_tracker.services.notices import mark_read_about, set_notice_email
from tests.support.factories import make_nomination, make_user
from tests.support.web import csrf_token, sign_in


def mailing(app, inbox):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=inbox.port, MAIL_FROM="tracker@hospital.test",
                      BASE_URL="https://burden.hospital.test/")


def test_a_daily_digest_lists_the_unread_notices_once_on_the_organizations_clocks(app, runner, session, inbox):
    mailing(app, inbox)
    session.get(Settings, 1).time_zone = "America/Chicago"
    daily, now_reader = make_user(session, email="daily@hospital.test"), make_user(session)
    set_notice_email(session=session, user_id=daily.id, choice=NoticeEmail.DAILY)
    first, second = make_nomination(session, submitter=daily), make_nomination(session, submitter=daily,
                                                                              title="Wound photo uploaded twice")
    for nomination in (first, second):
        comment(session=session, nomination_id=nomination.id, author=now_reader, body="Same here.")
    session.execute(update(Notification).values(created_at=datetime(2026, 10, 2, 3, 30, tzinfo=UTC)))
    session.commit()
    mark_read_about(session=session, user_id=daily.id, nomination_id=first.id)
    assert send_pending_notices(session=session, smtp_host="127.0.0.1", smtp_port=inbox.port,
                                mail_from="t@hospital.test", nomination_address=None).count == 0, "not at once"
    assert runner.invoke(args=["digest", "weekly"]).output == "Sent 0 weekly digests.\n"
    result = runner.invoke(args=["digest", "daily"])
    assert result.output == "Sent 1 daily digest.\n", result.output
    [digest] = inbox.to("daily@hospital.test")
    body = digest.get_content()
    assert digest["Subject"] == "Burden Tracker: 1 notice today"
    assert "- 2026-10-01 22:30 CDT: New comment on “Wound photo uploaded twice”." in body
    assert f"https://burden.hospital.test/nominations/{second.id}" in body
    assert "You already read 1 more in Burden Tracker." in body
    assert runner.invoke(args=["digest", "daily"]).output == "Sent 0 daily digests.\n", "each notice goes once"


def test_a_new_choice_counts_from_now_on_and_none_sends_nothing(app, client, session, inbox):
    mailing(app, inbox)
    quiet = make_user(session, email="quiet@hospital.test", can_sign_in=True)
    comment(session=session, nomination_id=make_nomination(session, submitter=quiet).id, author=make_user(session),
            body="Same here.")
    sign_in(client, quiet.email)
    page = client.get("/me/settings").get_data(as_text=True)
    assert '<input checked id="notice_email-0" name="notice_email" required type="radio" value="at once">' in page
    saved = client.post("/me/settings", data={"csrf_token": csrf_token(client, "/me/settings"),
                                              "notice_email": "none"}, follow_redirects=True)
    assert "Saved: your notices now reach you in Burden Tracker only." in saved.get_data(as_text=True)
    assert session.scalars(select(Notification.emailed_at)).one() is not None, "the old one is not sent later"
    comment(session=session, nomination_id=make_nomination(session, submitter=quiet).id, author=make_user(session),
            body="Another.")
    client.post("/me/settings", data={"csrf_token": csrf_token(client, "/me/settings"), "notice_email": "none"})
    assert None in session.scalars(select(Notification.emailed_at)).all(), "saving the same choice changes nothing"
    session.rollback()  # on SQLite an open transaction would hold the lock the app needs
    refused = client.post("/me/settings", data={"csrf_token": csrf_token(client, "/me/settings"),
                                                "notice_email": "hourly"})
    assert refused.status_code == 422 and "Not a valid choice" in refused.get_data(as_text=True)
