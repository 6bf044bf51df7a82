"""Webhooks: admins register endpoints (/admin/webhooks), and each change they asked for is written, in the change's
own transaction, as one delivery per endpoint (the outbox), which a job then sends (services/webhook_delivery.py).
A change that is rolled back announces nothing; one that is committed is delivered even if the worker was down.

What is announced names nobody: a nomination's title, state, department and category, never who submitted it,
supported it, moved it or commented on it, and never a comment's or a note's text, which may hold what a board
member would later redact. The API, with a token, reads the rest under the anonymity rule.
"""

import json

from sqlalchemy import delete, insert
from sqlmodel import Session

from .. import hours
from ..enums import Role, WebhookEvent, WebhookFormat
from ..errors import DomainError, NotFound
from ..models import Category, Department, Nomination, User, WebhookDelivery, WebhookEndpoint, utc_now
from ..queries.webhooks import endpoints_for
from ..webhook_messages import address_problem, new_message_id, new_secret
from .admin import record_admin_change

NAME_LONGEST = 80
ANNOUNCED = "webhooks announced"  # set in session.info: the request's end queues their delivery (views/mailing.py)


def register_endpoint(*, session: Session, actor: User, name: str, url: str, events: list[str], message_format: str,
                      http_allowed: bool) -> tuple[WebhookEndpoint, str]:
    """The endpoint, and its secret, which the admin copies to the receiver. All its values or none."""
    _admins_only(actor)
    name = " ".join((name or "").split())
    problems = {}
    if not 1 <= len(name) <= NAME_LONGEST:
        problems["name"] = f"must be 1 to {NAME_LONGEST} characters"
    url_problem = address_problem((url or "").strip(), http_allowed=http_allowed)
    if url_problem:
        problems["url"] = url_problem
    chosen = [event for event in WebhookEvent if event.value in set(events or ())]
    if not chosen or len(chosen) != len(set(events)):
        problems["events"] = "choose at least one of the events listed"
    if message_format not in {choice.value for choice in WebhookFormat}:
        problems["format"] = "choose one of the formats listed"
    if problems:
        raise DomainError("The endpoint was not added: please correct the fields marked.", fields=problems)
    endpoint = WebhookEndpoint(name=name, url=url.strip(), events=" ".join(event.value for event in chosen),
                               format=WebhookFormat(message_format), secret=new_secret())
    session.add(endpoint)
    record_admin_change(session, actor.id, f"Added the webhook “{name}” for {endpoint.events}")
    session.commit()
    return endpoint, endpoint.secret


def set_active(*, session: Session, actor: User, endpoint_id: int, active: bool) -> WebhookEndpoint:
    """Paused, an endpoint is told of nothing new; what was already written for it waits until it resumes."""
    _admins_only(actor)
    endpoint = _endpoint(session, endpoint_id)
    endpoint.active = active
    record_admin_change(session, actor.id, f"{'Resumed' if active else 'Paused'} the webhook “{endpoint.name}”")
    session.commit()
    return endpoint


def remove_endpoint(*, session: Session, actor: User, endpoint_id: int) -> str:
    """Removes the endpoint and its log, deliveries not yet sent included. Returns its name."""
    _admins_only(actor)
    endpoint = _endpoint(session, endpoint_id, locked=True)  # a change announcing to it waits, or is waited for
    name = endpoint.name
    session.execute(delete(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint_id))
    session.delete(endpoint)
    record_admin_change(session, actor.id, f"Removed the webhook “{name}”")
    session.commit()
    return name


def announce(session: Session, event: WebhookEvent, data: dict) -> None:
    """Writes the event for each active endpoint that wants it; the caller commits, with its change."""
    wanted = endpoints_for(session=session, event=event)
    if not wanted:
        return
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    now = utc_now()
    session.execute(insert(WebhookDelivery), [
        {"endpoint_id": endpoint_id, "message_id": new_message_id(), "event": event, "payload": payload,
         "created_at": now, "next_try_at": now} for endpoint_id in wanted])
    session.info[ANNOUNCED] = True


def nomination_data(session: Session, nomination: Nomination) -> dict:
    """A nomination as every announcement shows it: no person, no free text but its title."""
    department = session.get(Department, nomination.department_id).name
    category = session.get(Category, nomination.category_id).name
    minutes, per_week, clinicians = nomination.estimate
    return {"id": nomination.id, "title": nomination.title, "state": nomination.state.value,
            "department": department, "category": category, "affected_role": nomination.affected_role.value,
            "submitted_on": nomination.submitted_on.isoformat(),
            "estimate": {"minutes_per_occurrence": minutes, "occurrences_per_week": per_week,
                         "clinicians_affected": clinicians}}


def quarter_data(quarter: hours.Quarter, figures) -> dict:
    return {"quarter": quarter.key, "label": str(quarter), "first_day": quarter.first_day.isoformat(),
            "last_day": quarter.last_day.isoformat(), "received": figures.received, "retired": figures.retired,
            "realized_hours": round(figures.realized_hours, 1),
            "annualized_hours": round(figures.annualized_hours, 1)}


def _admins_only(actor: User) -> None:
    if not actor.has_role(Role.ADMIN):
        raise DomainError("Only admins manage webhooks.")


def _endpoint(session: Session, endpoint_id: int, *, locked: bool = False) -> WebhookEndpoint:
    endpoint = session.get(WebhookEndpoint, endpoint_id, with_for_update=locked or None)
    if endpoint is None:
        raise NotFound("No such webhook.")
    return endpoint
