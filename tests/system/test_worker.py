"""`burden-tracker worker` as a real process beside a real SMTP server and a real webhook receiver: it runs what
was queued while no worker ran, tries a failing job again until the mail server answers, keeps one that failed its
last try for admins, sends webhooks in order, again after a refusal, and writes a large program's workbook."""

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from burden_tracker import create_app
from burden_tracker.enums import Role, WebhookEvent
from burden_tracker.jobs import jobs, queue_state
from burden_tracker.models import FailedJob, Notification
from burden_tracker.services.nominations import comment
from burden_tracker.services.webhooks import announce, register_endpoint
from tests.support.factories import make_nomination, make_user
from tests.support.reporting_data import build_program
from tests.support.serving import free_port
from tests.support.smtp import running_inbox
from tests.support.web import HTMX, sign_in
from tests.support.webhook_receiver import running_receiver

BIN = Path(sys.executable).parent


@pytest.fixture
def settings(database_url, tmp_path):
    """What the web app and the worker share: the database, the queue and the mail server's address."""
    return {"DATABASE_URL": database_url, "JOBS_URL": f"sqlite:///{tmp_path / 'jobs.sqlite3'}",
            "SECRET_KEY": "a key for tests only", "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(free_port()),
            "MAIL_FROM": "tracker@hospital.test", "BASE_URL": "https://burden.hospital.test/",
            "JOB_RETRIES": "5", "JOB_FIRST_WAIT_SECONDS": "0.5"}


@pytest.fixture
def web_app(settings, engine):
    app = create_app({"TESTING": True, **settings, "SMTP_PORT": int(settings["SMTP_PORT"]),
                      "JOB_RETRIES": int(settings["JOB_RETRIES"]),
                      "JOB_FIRST_WAIT_SECONDS": float(settings["JOB_FIRST_WAIT_SECONDS"])})
    yield app
    app.extensions["db_engine"].dispose()


@contextmanager
def worker(settings: dict, log_path: Path):
    env = {"PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(log_path.parent), **settings}
    with log_path.open("w") as log:
        process = subprocess.Popen([str(BIN / "burden-tracker"), "worker"], env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
        try:
            yield process
        finally:
            process.send_signal(signal.SIGINT)  # as Ctrl-C: the jobs running finish
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until(condition, what: str, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while not (found := condition()):
        assert time.monotonic() < deadline, f"waited {seconds} s for {what}"
        time.sleep(0.1)
    return found


def failures(session) -> list[FailedJob]:
    found = session.exec(select(FailedJob)).all()
    session.commit()  # end the read: the worker and the web app write to the same database
    return found


def unsent(session) -> int:
    count = len(session.exec(select(Notification.id).where(Notification.emailed_at.is_(None))).all())
    session.commit()  # end the read: the worker writes to the same database
    return count


def test_notices_queued_while_no_worker_runs_are_emailed_once_one_starts(web_app, settings, session, tmp_path):
    submitter = make_user(session, email="submitter@hospital.test")
    nomination = make_nomination(session, submitter=submitter, title="Fall risk charted twice a shift")
    comment(session=session, nomination_id=nomination.id, author=make_user(session), body="Same on 4 West.")
    with web_app.app_context():
        jobs().email_notices()
        assert queue_state().waiting == 1
    with running_inbox(int(settings["SMTP_PORT"])) as inbox:
        time.sleep(0.5)
        assert inbox.received == [] and unsent(session) == 1, "queued, not sent: no worker runs"
        with worker(settings, tmp_path / "worker.log"):
            [message] = wait_until(lambda: inbox.to("submitter@hospital.test"), "the notice's email")
    assert message["Subject"] == "Burden Tracker: New comment on “Fall risk charted twice a shift”."
    assert f"https://burden.hospital.test/nominations/{nomination.id}" in message.get_content()
    assert unsent(session) == 0
    with web_app.app_context():
        assert queue_state().waiting == 0 and queue_state().worker_seen is not None


def test_a_failing_email_is_tried_again_until_the_mail_server_answers(web_app, settings, session, tmp_path):
    with web_app.app_context():
        jobs().email_person("new.person@hospital.test", "Burden Tracker: set your password", "Your link: …")
    log = tmp_path / "worker.log"
    with worker(settings, log):
        wait_until(lambda: "Requeueing" in log.read_text(), "a failed first try")
        with running_inbox(int(settings["SMTP_PORT"])) as inbox:  # the mail server comes back
            [message] = wait_until(lambda: inbox.to("new.person@hospital.test"), "the email, tried again", 60)
    assert message["Subject"] == "Burden Tracker: set your password"
    assert failures(session) == []


def test_a_job_that_fails_its_last_try_is_kept_and_shown_to_admins(web_app, settings, session, tmp_path):
    admin = make_user(session, Role.ADMIN, can_sign_in=True)
    # A job carries the retries of the app that queued it: tried at once, after 0.5 s and after 1 s more.
    settings = {**settings, "JOB_RETRIES": "2"}
    web_app.config["JOB_RETRIES"] = 2
    with web_app.app_context():
        jobs().email_person("new.person@hospital.test", "Burden Tracker: set your password", "Your link: …")
    with worker(settings, tmp_path / "worker.log"):
        [failed] = wait_until(lambda: failures(session), "the kept failure")
    assert (failed.job, failed.tries) == ("email_person", 3)
    assert "did not take 'Burden Tracker: set your password'" in failed.error and "new.person" not in failed.error
    client = web_app.test_client()
    sign_in(client, admin.email)
    page = client.get("/admin/jobs").get_data(as_text=True)
    assert "Email one person (a link to set a password, a change to their account)" in page
    assert "1 job failed" in page and "did not take" in page


def test_the_queue_file_is_readable_by_its_owner_only(web_app, settings):
    with web_app.app_context():
        jobs()
    path = Path(settings["JOBS_URL"].removeprefix("sqlite:///"))
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"


def test_webhooks_refused_are_sent_again_by_the_worker_in_the_order_written(web_app, settings, session, tmp_path):
    settings = {**settings, "WEBHOOK_WAITS": "0.5 0.5 0.5"}  # the worker's own
    with running_receiver() as receiver:
        endpoint, secret = register_endpoint(
            session=session, actor=make_user(session, Role.ADMIN), name="Wins page", url=receiver.url,
            events=["nomination.moved"], message_format="standard", http_allowed=False)
        receiver.secrets.append(secret)
        receiver.answers = [503, 503]
        for number, title in enumerate(("First retired", "Then rejected"), start=1):
            announce(session, WebhookEvent.NOMINATION_MOVED, {"nomination": {"id": number, "title": title},
                                                              "from_state": "evaluated", "to_state": "retired"})
        session.commit()
        with web_app.app_context():
            jobs().deliver_webhooks()
        with worker(settings, tmp_path / "worker.log"):
            wait_until(lambda: len(receiver.taken()) == 2, "both webhooks taken")
    assert [(message.message["data"]["nomination"]["title"], message.answered) for message in receiver.received] == [
        ("First retired", 503), ("First retired", 503), ("First retired", 204), ("Then rejected", 204)]
    assert all(message.signed_by == secret for message in receiver.received)


def test_a_large_programs_workbook_is_written_by_the_worker_while_its_page_follows(web_app, settings, session,
                                                                                   tmp_path):
    web_app.config["WORKBOOK_IN_REQUEST_UP_TO"] = 0
    build_program(session)
    client = web_app.test_client()
    sign_in(client, make_user(session, Role.EXECUTIVE, name="Erin Exec", can_sign_in=True).email)
    asked = client.get("/reports/2026-Q4.xlsx")
    assert asked.status_code == 303
    progress = asked.headers["Location"]
    assert "Waiting for the job queue to start it" in client.get(progress).get_data(as_text=True)
    with worker(settings, tmp_path / "worker.log"):
        wait_until(lambda: "Ready:" in client.get(progress, headers=HTMX).get_data(as_text=True), "the workbook")
    with client.get(f"{progress}.xlsx") as sent:
        assert sent.status_code == 200
        book = load_workbook(BytesIO(sent.get_data()), read_only=True)
    assigned = {row[0]: row[1] for row in book["Assumptions"].iter_rows(values_only=True)}
    book.close()
    assert assigned["Generated by"] == "Erin Exec" and assigned["Quarter"] == "2026-Q4"
