"""What the web's side queues once it has answered. Each POST that may have written notices queues a job to email
them, and an email to one person (a link to set a password) is queued too, when an SMTP server is configured. A
change that announced webhooks (services/webhooks.py) queues their delivery, and one that closed a quarter its
workbook's writing (services/workbooks.py). The worker sends them
(jobs.py): a slow or absent mail server slows nobody's request, and the time an answer took says nothing of whether
an email was sent.

Links in the emails start with BASE_URL and nothing else: the Host and X-Forwarded-Host of a request are the
client's word, and whoever sent the POST would choose where everyone's links point. Without BASE_URL (`serve`
refuses to start so; an app made in-process may) the emails go out without links.
"""

import logging

from flask import Flask, after_this_request, current_app, g, request

from ..jobs import jobs
from ..services.webhooks import ANNOUNCED
from ..services.workbooks import TO_WRITE

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    if app.extensions.get("mailing"):
        return  # once per app, however often it is called
    app.extensions["mailing"] = True

    @app.after_request
    def email_notices_after_post(response):
        if request.method == "POST" and app.config.get("SMTP_HOST"):
            response.call_on_close(lambda: _queue(app, "email notices", lambda queued: queued.email_notices()))
        return response

    @app.after_request
    def deliver_webhooks_after_change(response):
        session = g.get("db_session")
        if session is not None and session.info.pop(ANNOUNCED, False):
            response.call_on_close(lambda: _queue(app, "webhooks", lambda queued: queued.deliver_webhooks()))
        return response


    @app.after_request
    def write_workbooks_after_change(response):
        session = g.get("db_session")
        for workbook_id in session.info.pop(TO_WRITE, []) if session is not None else []:
            response.call_on_close(lambda chosen=workbook_id: _queue(
                app, "a workbook", lambda queued: queued.write_workbook(chosen)))
        return response


def email_once_answered(*, to: str, subject: str, text: str, not_queued=None) -> None:
    """Queues an email to one person once this response has gone, when an SMTP server is configured;
    not_queued(app) is called, in an app context, when the queue could not be reached."""
    app = current_app._get_current_object()
    if not app.config.get("SMTP_HOST"):
        return

    @after_this_request
    def queue(response):
        response.call_on_close(lambda: _queue(app, repr(subject), lambda queued: queued.email_person(to, subject,
                                                                                                      text),
                                              not_queued))
        return response


def _queue(app: Flask, what: str, put, not_queued=None) -> None:
    """After the response: a queue that cannot be reached is logged, as nobody is left to tell. The notices stay
    pending for the worker's next sweep; an email to one person is lost, and its reader asks again."""
    try:
        with app.app_context():
            put(jobs())
    except Exception:
        log.exception("Could not queue %s.", what)
        if not_queued is not None:
            with app.app_context():
                not_queued(app)
