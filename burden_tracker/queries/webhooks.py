"""Reading webhooks: which endpoints want an event, the list on /admin/webhooks with each endpoint's latest
deliveries, and what is due to be sent (services/webhook_delivery.py sends it)."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from ..enums import DeliveryOutcome, WebhookEvent
from ..models import WebhookDelivery, WebhookEndpoint

LOG_LENGTH = 50


@dataclass(frozen=True)
class EndpointLine:
    endpoint: WebhookEndpoint
    pending: int
    given_up: int


def endpoints_for(*, session: Session, event: WebhookEvent) -> list[int]:
    """The active endpoints that want the event. They are few, so their lists of events are read, not indexed.
    On PostgreSQL each is locked against removal until the change that announces to it commits (FOR KEY SHARE,
    which changes to its other columns do not wait for): an endpoint removed meanwhile is either removed first,
    and not returned, or removed after, with the deliveries just written (services/webhooks.remove_endpoint)."""
    rows = session.exec(select(WebhookEndpoint.id, WebhookEndpoint.events).where(WebhookEndpoint.active)
                        .with_for_update(key_share=True)).all()
    return [endpoint_id for endpoint_id, events in rows if event.value in events.split()]


def endpoint_lines(*, session: Session) -> list[EndpointLine]:
    counts = dict(session.exec(
        select(WebhookDelivery.endpoint_id, func.count()).where(WebhookDelivery.outcome == DeliveryOutcome.PENDING)
        .group_by(WebhookDelivery.endpoint_id)).all())
    given_up = dict(session.exec(
        select(WebhookDelivery.endpoint_id, func.count()).where(WebhookDelivery.outcome == DeliveryOutcome.GIVEN_UP)
        .group_by(WebhookDelivery.endpoint_id)).all())
    endpoints = session.exec(select(WebhookEndpoint).order_by(func.lower(WebhookEndpoint.name))).all()
    return [EndpointLine(endpoint, counts.get(endpoint.id, 0), given_up.get(endpoint.id, 0)) for endpoint in endpoints]


def endpoint_log(*, session: Session, endpoint_id: int) -> list[WebhookDelivery]:
    """Its latest deliveries, newest first."""
    return list(session.exec(select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint_id)
                             .order_by(WebhookDelivery.id.desc()).limit(LOG_LENGTH)).all())


def first_pending(*, session: Session, endpoint_id: int) -> WebhookDelivery | None:
    """The oldest delivery the endpoint has not taken: the next to send, as they are sent in order."""
    return session.exec(select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint_id,
                                                      WebhookDelivery.outcome == DeliveryOutcome.PENDING)
                        .order_by(WebhookDelivery.id).limit(1)).first()


def endpoints_due(*, session: Session, now: datetime) -> list[int]:
    """Active endpoints whose next delivery (their oldest pending: they go in order) is due; a paused one's wait
    until it resumes."""
    oldest = (select(func.min(WebhookDelivery.id)).where(WebhookDelivery.outcome == DeliveryOutcome.PENDING)
              .group_by(WebhookDelivery.endpoint_id))
    return list(session.exec(
        select(WebhookDelivery.endpoint_id).join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .where(WebhookEndpoint.active, WebhookDelivery.id.in_(oldest), WebhookDelivery.next_try_at <= now)).all())
