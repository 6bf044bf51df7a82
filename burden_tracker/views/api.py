"""/api/v1: JSON for programs, with personal tokens (/me/tokens) sent as `Authorization: Bearer …`.

A request here is authenticated by its token alone: a browser's cookie counts for nothing, so no page can make a
signed-in browser call the API, and the API needs no CSRF token. A token acts with its owner's roles, and a "read"
token only reads. Every refusal is application/problem+json (RFC 9457), with a field for each refused value.

spectree checks each request against the pydantic models its view names and makes the OpenAPI 3.1 document from the
same models (/api/v1/openapi.json); /api/v1/docs renders that document as a page.
"""

import copy
from dataclasses import dataclass

from flask import Blueprint, abort, current_app, g, render_template, request
from flask.json.provider import DefaultJSONProvider
from pydantic import BaseModel
from spectree import SecurityScheme, SecuritySchemeData, SpecTree
from werkzeug.exceptions import HTTPException

from .. import audit
from ..db import get_session, open_session
from ..enums import Role, TokenScope
from ..errors import DomainError, NotFound, NotYours, StaleVersion
from ..models import User, utc_now
from ..queries.api_tokens import TokenRefused, holder_of, token_hash
from ..schemas import without_nul
from ..services.api_tokens import note_use
from .api_limits import seconds_to_wait

bp = Blueprint("api", __name__, url_prefix="/api/v1")
PROBLEM = "application/problem+json"
OPEN = {"api.openapi", "api.docs"}  # the description of the API is no secret
READING = {"GET", "HEAD", "OPTIONS"}


def _as_problem(request_, response, validation_error, _instance, _model_adapter):
    """spectree's answer to a request its models refuse, rewritten as a problem with a field for each value."""
    if validation_error is None or response is None:
        return
    fields = {".".join(str(part) for part in error["loc"]) or "body": error["msg"]
              for error in validation_error.errors()}
    problem = _problem_body(422, "Some values were refused.", "Each refused value is named in fields.", fields)
    response.set_data(current_app.json.dumps(problem))
    response.mimetype = PROBLEM


spec = SpecTree("flask", mode="strict", title="Burden Tracker API", version="1", path="api/v1/spec",
                description="Nominations of unnecessary work, as the pages show them. Send a token made on "
                            "/me/tokens as `Authorization: Bearer …`.",
                security_schemes=[SecurityScheme(name="token", data=SecuritySchemeData(type="http", scheme="bearer"))],
                security={"token": []}, before=_as_problem, validation_error_status=422, annotations=True)


class Problem(BaseModel):
    """RFC 9457: what went wrong, and for refused values a message for each, by name."""

    type: str
    title: str
    status: int
    detail: str
    fields: dict[str, str] | None = None


class ArrivingJson(DefaultJSONProvider):
    """The app's JSON, with NUL dropped from every string it reads (an API request's body; the session cookie,
    which holds none), as the forms drop it (schemas.without_nul): PostgreSQL refuses NUL in text, even in a
    query."""

    def loads(self, s, **kwargs):
        return _without_nul(super().loads(s, **kwargs))


def _without_nul(value):
    if isinstance(value, dict):
        return {without_nul(name): _without_nul(item) for name, item in value.items()}
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    return without_nul(value)


@dataclass(frozen=True)
class Caller:
    user: User
    scope: TokenScope


def caller() -> Caller:
    return g.api_caller


def needs_role(*roles: Role) -> User:
    """The caller, when they hold one of the roles the page for it asks; else a 403 problem, as the page's 403."""
    user = caller().user
    if not user.has_any(*roles):
        abort(problem(403, "Your roles do not allow it.", "It needs " + " or ".join(r.value for r in roles) + "."))
    return user


@bp.before_request
def authenticate():
    if request.endpoint in OPEN or request.method == "OPTIONS":
        return None  # a browser's preflight carries no token; cors() below answers it
    token = _presented_token()
    if token is None:
        return problem(401, "A token is needed.", "Send a token made on /me/tokens as Authorization: Bearer …",
                       headers={"WWW-Authenticate": 'Bearer realm="burden-tracker"'})
    now, session = utc_now(), get_session()
    try:
        holder = holder_of(session=session, token=token, now=now)
    except TokenRefused as refused:
        audit.record(audit.API_TOKEN, detail=f"refused: {refused.reason}")
        return problem(401, "The token does not work.", refused.reason,
                       headers={"WWW-Authenticate": 'Bearer realm="burden-tracker", error="invalid_token"'})
    wait = seconds_to_wait(token_hash(token))  # the hash: unique to the token, wherever Redis is shared
    if wait is not None:
        return problem(429, "Too many requests.", f"This token may make {current_app.config['API_REQUESTS_PER_MINUTE']}"
                       f" requests a minute. Try again in {wait} s.", headers={"Retry-After": str(wait)})
    if request.method not in READING and holder.scope is not TokenScope.WRITE:
        return problem(403, "This token only reads.", "Make a token that may read and change on /me/tokens.")
    _note_use(session, holder, now)
    g.api_caller = Caller(holder.user, holder.scope)
    return None


def _presented_token() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _note_use(session, holder, now) -> None:
    """Through the request's own session when it writes (on SQLite it holds the write lock already), else through
    one of its own: a GET's session only reads."""
    if not session.info.get("read_only"):
        note_use(session=session, token_id=holder.token_id, last_used_at=holder.last_used_at, now=now)
        return
    with open_session(current_app.extensions["db_engine"]) as writer:
        note_use(session=writer, token_id=holder.token_id, last_used_at=holder.last_used_at, now=now)


@bp.after_request
def cors(response):
    """Pages of the origins API_CORS_ORIGINS names may call the API from a browser, with a token; no others."""
    response.vary.add("Origin")
    origin = request.headers.get("Origin", "")
    if origin.lower() in current_app.config["API_CORS_ORIGINS"]:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = "ETag, Location, Retry-After"
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type, If-Match"
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, DELETE"
            response.headers["Access-Control-Max-Age"] = "600"
    return response


@bp.get("/openapi.json")
def openapi():
    return current_app.json.response(document())


@bp.get("/docs")
def docs():
    return render_template("api/docs.html", document=document())


# Operations spectree cannot wrap, described by hand: a file is sent as it is read from disk, which spectree's
# check of the answer would read whole into memory first. {path: {method: operation}}.
BY_HAND: dict[str, dict[str, dict]] = {}
PROBLEM_SCHEMA = "#/components/schemas/Problem"  # for BY_HAND's refusals: spectree names its own with a hash


def document() -> dict:
    """spectree's document and the operations BY_HAND, with each refusal under the media type it is sent as
    (application/problem+json), and the 429 any operation may answer when its token has made too many requests
    (authenticate, above)."""
    if "document" not in current_app.extensions.setdefault("api", {}):
        made = copy.deepcopy(spec.spec)
        for path, operations in BY_HAND.items():
            for method, operation in operations.items():
                made["paths"].setdefault(path, {}).setdefault(method, {}).update(copy.deepcopy(operation))
        made["components"]["schemas"]["Problem"] = Problem.model_json_schema()
        for operation in (op for path in made["paths"].values() for op in path.values()):
            answers = operation.setdefault("responses", {})
            for answer in answers.values():
                content = answer.get("content", {})
                if content.get("application/json", {}).get("schema", {}).get("$ref", "").startswith(_REFUSALS):
                    answer["content"] = {PROBLEM: {"schema": {"$ref": PROBLEM_SCHEMA}}}
            answers["429"] = {"description": "Too Many Requests: try again after Retry-After seconds",
                              "headers": {"Retry-After": {"schema": {"type": "integer"}}},
                              "content": {PROBLEM: {"schema": {"$ref": PROBLEM_SCHEMA}}}}
        current_app.extensions["api"]["document"] = made
    return current_app.extensions["api"]["document"]


# spectree's names for the refusals it documents: ours, and its own 422, which _as_problem sends as ours.
_REFUSALS = ("#/components/schemas/Problem.", "#/components/schemas/ValidationError.")


def problem(status: int, title: str, detail: str, fields: dict | None = None, headers: dict | None = None):
    response = current_app.json.response(_problem_body(status, title, detail, fields))
    response.status_code = status
    response.mimetype = PROBLEM
    response.headers.update(headers or {})
    return response


def _problem_body(status: int, title: str, detail: str, fields: dict | None) -> dict:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if fields:
        body["fields"] = fields
    return body


@bp.errorhandler(DomainError)
def refused(error: DomainError):
    """404 for what is not there (or not this caller's to see), 403 for a site the board member does not decide
    for, 412 for a stale version, 422 for the rest."""
    status = next((status for kind, status in _STATUSES if isinstance(error, kind)), 422)
    return problem(status, TITLES[status], error.message, error.fields or None)


_STATUSES = ((NotFound, 404), (NotYours, 403), (StaleVersion, 412))
TITLES = {403: "Not yours to decide.", 404: "Not found.", 412: "Someone changed it since you read it.", 422: "Refused."}


def answers_here() -> bool:
    """Whether the request's address is the API's, routed or not: its errors are problems, never pages, and a
    browser's session is never asked for."""
    return request.path.startswith(f"{bp.url_prefix}/") or request.path == bp.url_prefix


def http_problem(error: HTTPException):
    """An HTTP error of the API's (views/errors.py hands them over), as a problem, its headers kept."""
    response = problem(error.code or 500, error.name, error.description or error.name)
    for name, value in error.get_headers():
        if name.lower() != "content-type":  # Allow on a 405, Retry-After on a 429
            response.headers[name] = value
    return response
