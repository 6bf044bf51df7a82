"""What a webhook sends: the body in the endpoint's format, and the headers that sign it as the Standard Webhooks
specification says (standardwebhooks.com): `webhook-id`, `webhook-timestamp`, and `webhook-signature`, which is
`v1,` and the base64 HMAC-SHA256 of "id.timestamp.body" keyed with the secret's bytes.

A chat's formats (a Microsoft Teams Adaptive Card, a Slack message) carry the same event in a sentence and a link;
they are signed too, though a chat's address is its own secret. Nothing here names a person: the payloads
services/webhooks.py writes hold none. And which addresses an endpoint may have: the form and the service ask the
same rule.
"""

import base64
import hashlib
import hmac
import ipaddress
import json
import secrets
from datetime import UTC, datetime
from urllib.parse import urlsplit

from .enums import WebhookEvent, WebhookFormat

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32  # the specification asks for 24 to 64
URL_LONGEST = 2000


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def new_message_id() -> str:
    return "msg_" + secrets.token_hex(16)


def signed_headers(*, secret: str, message_id: str, at: datetime, body: bytes) -> dict[str, str]:
    timestamp = str(int(at.timestamp()))
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    digest = hmac.new(key, f"{message_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return {"content-type": "application/json", "webhook-id": message_id, "webhook-timestamp": timestamp,
            "webhook-signature": "v1," + base64.b64encode(digest).decode()}


def body(*, form: WebhookFormat, event: WebhookEvent, data: dict, written_at: datetime, link: str | None) -> bytes:
    """The bytes sent, the same on every try. `link` is the page the event is about, when BASE_URL is set."""
    if form == WebhookFormat.STANDARD:
        message = {"type": event.value, "timestamp": written_at.astimezone(UTC).isoformat(),
                   "data": data | ({"url": link} if link else {})}
    elif form == WebhookFormat.TEAMS:
        message = _adaptive_card(in_words(event, data), link)
    else:
        message = {"text": _slack_text(in_words(event, data)) + (f" <{link}|Open it>" if link else "")}
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode()


def in_words(event: WebhookEvent, data: dict) -> str:
    nomination = data.get("nomination", {})
    title = f"“{nomination.get('title', '')}”"
    if event == WebhookEvent.NOMINATION_CREATED:
        return f"New nomination in {nomination['department']}: {title}."
    if event == WebhookEvent.NOMINATION_MOVED:
        return f"{title} moved from {data['from_state']} to {data['to_state']}."
    if event == WebhookEvent.NOMINATION_REVISED:
        changed = "; ".join(f"{change['field']} {change['from']} → {change['to']}" for change in data["changes"])
        return f"The board revised {title}: {changed}."
    if event == WebhookEvent.COMMENT_CREATED:
        return f"New comment on {title}."
    return (f"{data['label']} is closed: {data['retired']:,} burdens retired, "
            f"{data['annualized_hours']:,.0f} clinician-hours a year given back.")


def _slack_text(text: str) -> str:
    """Slack reads <…> as a link or a mention (<!channel>): what people typed is escaped as its documentation says."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _adaptive_card(text: str, link: str | None) -> dict:
    """The message a Teams Workflows webhook ("When a Teams webhook request is received") posts to a channel."""
    card = {"$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard",
            "version": "1.4", "body": [{"type": "TextBlock", "text": text, "wrap": True}]}
    if link:
        card["actions"] = [{"type": "Action.OpenUrl", "title": "Open it", "url": link}]
    return {"type": "message",
            "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None,
                             "content": card}]}


def address_problem(url: str, *, http_allowed: bool) -> str | None:
    """Why an endpoint's address is refused, or None. Plain http only to this machine, unless allowed."""
    if not url:
        return "is required"
    if len(url) > URL_LONGEST:
        return f"can be at most {URL_LONGEST:,} characters"
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return "is not a web address"
    if parts.scheme not in ("https", "http") or not host:
        return "must start with https://"
    if parts.username or parts.password:
        return "must not hold a user name or password: the signature proves who sends"
    if parts.scheme == "http" and not (http_allowed or _loopback(host)):
        return "must start with https://, so that what is sent cannot be read on the way"
    return None


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
