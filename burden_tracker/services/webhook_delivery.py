"""Sending an endpoint's webhooks (services/webhooks.py writes them), oldest first: a delivery is tried again after
each of WEBHOOK_WAITS until the endpoint answers 2xx, and given up when the waits run out (about a day). While one
waits, those written after it wait behind it, so that a receiver sees the changes in the order they were made.

One worker at a time sends an endpoint's deliveries: it holds the endpoint (delivering_until, held_by) and lets go
when done, or the hold lapses if the worker died. A worker records an answer only while the endpoint is still its
own: one whose try outlasted its hold, or whose endpoint was removed meanwhile, records nothing, and the message is
sent again, with the same webhook-id, as the specification expects receivers to allow for. So is one sent and not
yet recorded when a worker dies.

No transaction is open while an endpoint is asked: on SQLite a writing transaction would hold every writer back
for as long as a slow receiver takes to answer.
"""

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import requests
from sqlalchemy import delete, or_, update
from sqlmodel import Session

from ..enums import DeliveryOutcome, WebhookEvent
from ..models import WebhookDelivery, WebhookEndpoint, utc_now
from ..queries.webhooks import first_pending
from ..webhook_messages import body, signed_headers

KEPT_FOR = timedelta(days=30)  # the log of what was delivered or given up; what waits is kept until it goes
HOLD = timedelta(minutes=2)  # longer than a try takes but at a crawl (TIMEOUT is per read); renewed after each
TIMEOUT = (5, 10)  # seconds to connect, and to wait between bytes of the answer
ANSWER_KEPT = 300
ANSWER_READ = 4096  # what an answer says past this is not read: only its first words are kept for the log


@dataclass(frozen=True)
class Answer:
    status: int | None  # None when no answer came
    said: str

    @property
    def taken(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def deliver_due(*, session: Session, endpoint_id: int, waits: tuple[float, ...],
                link: Callable[[WebhookEvent, dict], str | None]) -> float | None:
    """Sends what is due, in order, until a delivery is not taken. Returns the seconds until that one's next try;
    None when nothing was refused here (all taken, nothing due, another worker holds it, or it is paused or gone),
    so that only the worker that met the refusal arranges the next try."""
    mine = secrets.token_hex(8)
    if not _hold(session, endpoint_id, mine):
        return None
    try:
        while True:
            endpoint = session.get(WebhookEndpoint, endpoint_id, populate_existing=True)  # paused since?
            live = endpoint is not None and endpoint.active
            delivery = first_pending(session=session, endpoint_id=endpoint_id) if live else None
            if delivery is None or delivery.next_try_at > utc_now():
                return None
            session.commit()  # no transaction open while the endpoint answers
            answer = send(endpoint, delivery, link)
            if not _hold(session, endpoint_id, mine, renewing=True):
                return None  # removed meanwhile, or another worker's since this hold lapsed: it sends again
            _record(delivery, answer, waits, now=utc_now())
            session.commit()  # with the renewed hold, so that no other worker took the endpoint in between
            if delivery.outcome == DeliveryOutcome.PENDING:
                return (delivery.next_try_at - utc_now()).total_seconds()
    finally:
        session.rollback()  # whatever a failure left half-done
        session.execute(update(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id,
                                                      WebhookEndpoint.held_by == mine)
                        .values(delivering_until=None, held_by=None))
        session.commit()


def forget_old_deliveries(*, session: Session, now: datetime) -> int:
    """Deletes the log's lines older than KEPT_FOR, once delivered or given up. Returns how many."""
    forgotten = session.execute(delete(WebhookDelivery).where(
        WebhookDelivery.outcome != DeliveryOutcome.PENDING, WebhookDelivery.created_at < now - KEPT_FOR)).rowcount
    session.commit()
    return forgotten


def send(endpoint: WebhookEndpoint, delivery: WebhookDelivery,
         link: Callable[[WebhookEvent, dict], str | None]) -> Answer:
    """One try: signed as of now, as the specification asks (a receiver refuses an old timestamp)."""
    data = json.loads(delivery.payload)
    sent = body(form=endpoint.format, event=delivery.event, data=data, written_at=delivery.created_at,
                link=link(delivery.event, data))
    headers = signed_headers(secret=endpoint.secret, message_id=delivery.message_id, at=utc_now(), body=sent)
    try:
        with requests.post(endpoint.url, data=sent, headers=headers, timeout=TIMEOUT, allow_redirects=False,
                           stream=True) as response:
            said = response.raw.read(ANSWER_READ, decode_content=True).decode(response.encoding or "utf-8",
                                                                             "replace")
            return Answer(response.status_code, _first_words(said) or response.reason or "")
    except requests.RequestException as error:
        return Answer(None, _first_words(f"No answer: {type(error).__name__}: {error}"))


def _record(delivery: WebhookDelivery, answer: Answer, waits: tuple[float, ...], *, now: datetime) -> None:
    delivery.tries += 1
    delivery.last_tried_at = now
    delivery.last_status = answer.status
    delivery.last_answer = answer.said
    if answer.taken:
        delivery.outcome = DeliveryOutcome.DELIVERED
    elif delivery.tries > len(waits):
        delivery.outcome = DeliveryOutcome.GIVEN_UP
    else:
        delivery.next_try_at = now + timedelta(seconds=waits[delivery.tries - 1])


def _hold(session: Session, endpoint_id: int, mine: str, *, renewing: bool = False) -> bool:
    """Takes the endpoint for this worker (`mine`) unless another holds it, and commits, so that the others see
    it; or, renewing, keeps it while it is still this worker's, leaving the transaction open for what it guards."""
    now = utc_now()
    query = update(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id)
    if renewing:
        query = query.where(WebhookEndpoint.held_by == mine)
    else:
        query = query.where(or_(WebhookEndpoint.delivering_until.is_(None), WebhookEndpoint.delivering_until < now))
    taken = session.execute(query.values(delivering_until=now + HOLD, held_by=mine)).rowcount == 1
    if not renewing:
        session.commit()
    return taken


def _first_words(text: str) -> str:
    said = " ".join(text.split())
    return said[:ANSWER_KEPT - 1] + "…" if len(said) > ANSWER_KEPT else said
