"""The job queue: work done after the answer has gone, by `burden-tracker worker`, so that a slow or absent mail
server slows nobody's request and what fails is tried again.

Huey keeps the queue (JOBS_URL): a SQLite file beside the database by default, so that nothing else need run, or
Redis or PostgreSQL, which workers on several machines share. A job queued while no worker runs waits for one. A
job that fails is tried again JOB_RETRIES times, each wait twice the one before; one that fails its last try is
kept in failed_jobs, for admins to see on /admin/jobs. Tests use "immediate": each job runs as it is queued, in-process.

Each job works in an app context and a database session of its own, and is safe to run twice: notices and digests
are claimed before they are sent (services/mail.py), and reminders marked. So two workers, or a job run again after
a worker died in it, send nothing twice.
"""

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from huey import Huey, MemoryHuey, PostgresHuey, RedisHuey, SqliteHuey, crontab
from huey.api import Task, TaskWrapper
from huey.signals import SIGNAL_ERROR
from sqlalchemy.exc import SQLAlchemyError

from .addresses import emailed_address
from .db import create_private_file, open_session, refresh_statistics
from .enums import NoticeEmail, WebhookEvent
from .models import utc_now
from .queries.reference import for_lists
from .queries.webhooks import endpoints_due
from .services.digests import send_digests
from .services.failed_jobs import keep_failure
from .services.invites import email_person
from .services.mail import send_pending_notices
from .services.scheduling import remind_owners
from .services.webhook_delivery import deliver_due, forget_old_deliveries
from .services.workbooks import forget_old as forget_old_workbooks
from .services.workbooks import write as write_workbook

log = logging.getLogger(__name__)
QUEUE_NAME = "burden-tracker"
SWEEP_MINUTES = "*/5"  # notices left pending (a worker down, a mail server refusing) are tried again this often
MONDAY = 0
IMMEDIATE = "immediate"
SCHEMES = {"sqlite": "sqlite", "redis": "redis", "rediss": "redis", "unix": "redis", "postgresql": "postgresql",
           "postgresql+psycopg": "postgresql", "postgres": "postgresql"}
_OPENING = threading.Lock()


class JobFailed(Exception):
    """What a job raises for Huey to try it again later; its message says what failed, never to whom."""


# What each job does, in the words of /admin/jobs.
JOB_WORDS = {"email_notices": "Email the notices just written",
             "email_person": "Email one person (a link to set a password, a change to their account)",
             "sweep_notices": "Email the notices left pending", "morning_round": "Morning reminders and digests",
             "deliver_webhooks": "Send the webhooks due", "sweep_webhooks": "Send the webhooks left due",
             "write_workbook": "Write a quarter's workbook"}
WORKER_SEEN = "worker-seen"  # the queue's key for when a worker last said it runs: as it starts, then each sweep


@dataclass(frozen=True)
class QueueState:
    waiting: int  # queued to run as soon as a worker is free
    retrying: int  # waiting for a later try
    worker_seen: datetime | None  # when a worker last said it runs (as it starts, then each sweep), or None


@dataclass(frozen=True)
class Jobs:
    queue: Huey
    email_notices: TaskWrapper
    email_person: TaskWrapper
    deliver_webhooks: TaskWrapper
    write_workbook: TaskWrapper


def init_app(app: Flask) -> None:
    check_url(app.config["JOBS_URL"])


def jobs() -> Jobs:
    """This app's jobs. The queue is opened when first used, so that an app that queues nothing (a command of the
    command line, most tests) leaves no queue file behind."""
    app = current_app._get_current_object()
    with _OPENING:
        if "jobs" not in app.extensions:
            app.extensions["jobs"] = _register(app, make_queue(app.config["JOBS_URL"]))
        return app.extensions["jobs"]


def run_worker(app: Flask, *, threads: int) -> None:
    """Runs the queue's jobs, and its periodic ones, until SIGINT (the running jobs finish) or SIGTERM."""
    if app.config["JOBS_URL"] == IMMEDIATE:
        raise ValueError("JOBS_URL is immediate: jobs run as they are queued, and there is nothing for a worker.")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    with app.app_context():
        queue = jobs().queue
    # An idle worker asks a SQLite or PostgreSQL queue for work at most a second apart (Huey's default waits up
    # to ten): an email or a webhook then leaves within a second or so of the page that caused it.
    queue.create_consumer(workers=threads, worker_type="thread", max_delay=1.0).run()


def queue_state() -> QueueState:
    queue = jobs().queue
    seen = queue.get(WORKER_SEEN, peek=True)
    return QueueState(waiting=queue.pending_count(), retrying=queue.scheduled_count(),
                      worker_seen=datetime.fromtimestamp(seen, ZoneInfo("UTC")) if seen else None)


def check_url(url: str) -> None:
    """Raises ValueError, at start-up, when JOBS_URL names no queue this module opens."""
    if url != IMMEDIATE and url.partition("://")[0] not in SCHEMES:
        raise ValueError(f"JOBS_URL must start with sqlite:///, redis:// or postgresql://, not {url!r}.")


def make_queue(url: str) -> Huey:
    """The queue JOBS_URL names: sqlite:///PATH, redis://…, postgresql://…, or "immediate" (tests)."""
    check_url(url)
    options = {"results": False}  # nobody waits on a job's result: what it does is in the database
    scheme = url.partition("://")[0]
    if url == IMMEDIATE:
        return MemoryHuey(QUEUE_NAME, immediate=True, **options)
    if scheme == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        create_private_file(path)  # queued emails may hold a link to set a password
        return SqliteHuey(QUEUE_NAME, filename=str(path), **options)
    if SCHEMES[scheme] == "redis":
        return RedisHuey(QUEUE_NAME, url=url, **options)
    return PostgresHuey(QUEUE_NAME, dsn=url.replace("postgresql+psycopg://", "postgresql://"), **options)


def email_notices_now(app: Flask) -> int:
    """Emails the pending notices; raises JobFailed when the mail server could not take them all."""
    config = app.config
    if not config.get("SMTP_HOST"):
        return 0
    with app.app_context(), open_session(app.extensions["db_engine"]) as session:
        sent = send_pending_notices(session=session, smtp_host=config["SMTP_HOST"], smtp_port=config["SMTP_PORT"],
                                    mail_from=config["MAIL_FROM"], nomination_address=_nomination_address(app))
    if sent.failed:
        raise JobFailed(f"The mail server took {sent.count} notices, then failed: the rest wait.")
    return sent.count


def send_digests_now(app: Flask, choice: NoticeEmail) -> int:
    config = app.config
    with app.app_context(), open_session(app.extensions["db_engine"]) as session:
        return send_digests(session=session, choice=choice, smtp_host=config["SMTP_HOST"],
                            smtp_port=config["SMTP_PORT"], mail_from=config["MAIL_FROM"],
                            nomination_address=_nomination_address(app), zone=for_lists(session=session).time_zone)


def remind_owners_now(app: Flask, today: date | None = None) -> int:
    """As of today on the organization's clocks, or the day given."""
    with app.app_context(), open_session(app.extensions["db_engine"]) as session:
        return remind_owners(session=session, today=today or for_lists(session=session).today())


def deliver_webhooks_now(app: Flask) -> float | None:
    """Sends every endpoint's due webhooks. Returns the seconds until the soonest try again of one refused here,
    or None."""
    waits = []
    with app.app_context(), open_session(app.extensions["db_engine"]) as session:
        for endpoint_id in endpoints_due(session=session, now=utc_now()):
            session.commit()  # the list was read in a transaction of its own; each endpoint is sent in others
            wait = deliver_due(session=session, endpoint_id=endpoint_id, waits=app.config["WEBHOOK_WAITS"],
                               link=_event_address)
            if wait is not None:
                waits.append(wait)
    return min(waits, default=None)


def write_workbook_now(app: Flask, workbook_id: int) -> None:
    """Writes a quarter's workbook and keeps it (services/workbooks.py); its page shows how far it has got."""
    engine = app.extensions["db_engine"]
    with app.app_context(), open_session(engine, read_only=True) as reader, open_session(engine) as writer:
        write_workbook(reader=reader, writer=writer, workbook_id=workbook_id)


def morning_round(app: Flask, now: datetime) -> None:
    """At DIGEST_HOUR on the organization's clocks: the webhooks' old log and old workbooks are forgotten; reminders
    come before the digests, so that the digests carry them; then the daily digests, and on Mondays the weekly ones;
    last, the planner's statistics are refreshed (db.refresh_statistics). Hourly otherwise does nothing."""
    with app.app_context(), open_session(app.extensions["db_engine"], read_only=True) as session:
        local = now.astimezone(ZoneInfo(for_lists(session=session).time_zone))
    if local.hour != app.config["DIGEST_HOUR"]:
        return
    with app.app_context(), open_session(app.extensions["db_engine"]) as session:
        forget_old_deliveries(session=session, now=now)
        forget_old_workbooks(session=session, now=now)
    remind_owners_now(app, local.date())
    if app.config.get("SMTP_HOST"):
        send_digests_now(app, NoticeEmail.DAILY)
        if local.weekday() == MONDAY:
            send_digests_now(app, NoticeEmail.WEEKLY)
    try:  # last: the day's reminders and digests never wait on it, nor fail with it
        refresh_statistics(app.extensions["db_engine"])
    except SQLAlchemyError as error:
        log.warning("The planner's statistics were not refreshed: %s", error)


def _register(app: Flask, queue: Huey) -> Jobs:
    retried = {"retries": app.config["JOB_RETRIES"], "retry_delay": app.config["JOB_FIRST_WAIT_SECONDS"],
               "retry_backoff": 2}

    @queue.task(name="email_notices", **retried)
    def email_notices():
        email_notices_now(app)

    @queue.task(name="email_person", **retried)
    def email_one(to: str, subject: str, text: str):
        config = app.config
        if not email_person(smtp_host=config["SMTP_HOST"], smtp_port=config["SMTP_PORT"],
                            mail_from=config["MAIL_FROM"], to=to, subject=subject, text=text):
            raise JobFailed(f"The mail server did not take {subject!r}.")

    @queue.periodic_task(crontab(minute=SWEEP_MINUTES), name="sweep_notices")
    def sweep():
        queue.put(WORKER_SEEN, time.time())  # a worker runs: /admin/jobs says so
        try:
            email_notices_now(app)
        except JobFailed as failed:  # not kept: the notices wait for the next sweep, and a sweep comes often
            log.warning("%s", failed)

    @queue.on_startup(name="worker_seen")
    def worker_seen():
        queue.put(WORKER_SEEN, time.time())

    @queue.task(name="deliver_webhooks")
    def deliver_webhooks():
        wait = deliver_webhooks_now(app)
        if wait is not None:  # tried and refused: try again after the wait, as WEBHOOK_WAITS say
            deliver_webhooks.schedule(delay=max(wait, 0.0))

    @queue.periodic_task(crontab(minute="*"), name="sweep_webhooks")
    def sweep_webhooks():  # what a worker that died, or a paused endpoint since resumed, left due
        deliver_webhooks()

    @queue.task(name="write_workbook")  # not tried again: a workbook that failed says so, and its reader asks again
    def write_workbook(workbook_id: int):
        write_workbook_now(app, workbook_id)

    @queue.periodic_task(crontab(minute="0"), name="morning_round")
    def morning():
        morning_round(app, datetime.now(ZoneInfo("UTC")))

    @queue.signal(SIGNAL_ERROR)
    def keep_last_failure(signal: str, task: Task, error: Exception | None = None):
        if task.retries:
            return  # Huey tries it again
        with app.app_context(), open_session(app.extensions["db_engine"]) as session:
            keep_failure(session=session, job=task.name, error=_said(error), tries=type(task).default_retries + 1)

    return Jobs(queue=queue, email_notices=email_notices, email_person=email_one, deliver_webhooks=deliver_webhooks,
                write_workbook=write_workbook)


def _said(error: Exception | None) -> str:
    return f"{type(error).__name__}: {error}" if error is not None else "It stopped without saying why."


def _event_address(event: WebhookEvent, data: dict) -> str | None:
    """The page a webhook's event is about, under BASE_URL; in a job's app context."""
    if event == WebhookEvent.QUARTER_CLOSED:
        return emailed_address("dashboard.index", quarter=data["quarter"])
    return emailed_address("nominations.show", nomination_id=data["nomination"]["id"])


def _nomination_address(app: Flask) -> Callable[[int], str] | None:
    if not app.config.get("BASE_URL"):
        if not app.extensions.get("told_of_no_base_url"):
            app.extensions["told_of_no_base_url"] = True  # once: every POST queues a delivery
            log.warning("BASE_URL is not set: notices are emailed without a link to the nomination.")
        return None
    return lambda nomination_id: emailed_address("nominations.show", nomination_id=nomination_id)
