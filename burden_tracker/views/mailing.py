"""Emailing new notices once a POST's response has gone out, when an SMTP server is configured.

Notices are written by the POSTs that move or comment on a nomination. Delivering after the
response is closed keeps a slow or absent mail server from slowing or breaking anyone's
request; whatever could not be sent is retried after the next POST.

Links in the emails start with BASE_URL and nothing else: the Host and X-Forwarded-Host of a
request are the client's word, and whoever sent the POST would choose where everyone's links
point. Without BASE_URL (`serve` refuses to start so; an app made in-process may) the emails
go out without links.
"""

import logging

from flask import Flask, after_this_request, current_app, request

from ..addresses import emailed_address
from ..db import open_session
from ..services.invites import email_person
from ..services.mail import send_pending_notices

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    if app.extensions.get("mailing"):
        return  # once per app, however often it is called
    app.extensions["mailing"] = True

    @app.after_request
    def deliver_after_post(response):
        if request.method == "POST" and app.config.get("SMTP_HOST"):
            response.call_on_close(lambda: deliver_notices(app))
        return response


def deliver_notices(app: Flask) -> int:
    """Sends the pending notices in an app context and a database session of its own."""
    base_url = app.config.get("BASE_URL")
    if not base_url and not app.extensions.get("mailing_without_links_told"):
        app.extensions["mailing_without_links_told"] = True  # once: every POST delivers
        log.warning("BASE_URL is not set: notices are emailed without a link to the nomination.")
    try:
        with app.app_context(), open_session(app.extensions["db_engine"]) as session:
            return send_pending_notices(session=session, smtp_host=app.config["SMTP_HOST"],
                                        smtp_port=app.config["SMTP_PORT"], mail_from=app.config["MAIL_FROM"],
                                        nomination_address=_nomination_address if base_url else None)
    except Exception:  # after the response: nobody is left to show an error to
        log.exception("Emailing notices failed; they stay pending until the next attempt.")
        return 0


def _nomination_address(nomination_id: int) -> str:
    return emailed_address("nominations.show", nomination_id=nomination_id)


def email_once_answered(*, to: str, subject: str, text: str) -> None:
    """Emails one person once this response has gone, when an SMTP server is configured: a slow mail server slows
    nobody, and the time the answer took says nothing of whether an email was sent."""
    config = current_app.config
    if not config.get("SMTP_HOST"):
        return

    @after_this_request
    def send(response):
        response.call_on_close(lambda: email_person(smtp_host=config["SMTP_HOST"], smtp_port=config["SMTP_PORT"],
                                                    mail_from=config["MAIL_FROM"], to=to, subject=subject, text=text))
        return response
