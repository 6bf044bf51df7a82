"""/api/v1/nominations/<id>/support and /comments: a "me too" given and taken back, and the comments read and
written, as the nomination's page does them (services/nominations.py; the anonymity rule names people in
queries/details.py). The routes join views/api.py's blueprint, whose before_request authenticates the token."""

from datetime import datetime

from flask import url_for
from pydantic import BaseModel, ConfigDict, Field
from spectree import Response

from ..db import get_session
from ..enums import Role
from ..queries.details import CommentEntry, nomination_details
from ..schemas import Occurrences
from ..services import nominations as service
from .api import Problem, bp, caller, needs_role, spec


class SupportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    occurrences_per_week: Occurrences = Field(description="How often it happens to you, a week.")


class SupportOut(BaseModel):
    nomination_id: int
    occurrences_per_week: float


class CommentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    body: str = Field(min_length=1, max_length=5000, description="Plain text; @Name tells that person.")


class CommentOut(BaseModel):
    id: int
    at: datetime
    by: str = Field(description="Who wrote it, named as the page names them: an anonymous submitter is not.")
    text: str | None = Field(description="null when the board hid it from this reader.")
    edited: bool
    hidden: bool


class CommentList(BaseModel):
    comments: list[CommentOut]


@bp.post("/nominations/<int:nomination_id>/support")
@spec.validate(json=SupportIn, resp=Response(HTTP_201=SupportOut, HTTP_401=Problem, HTTP_403=Problem,
                                             HTTP_404=Problem, HTTP_422=Problem), tags=["support"])
def add_support(nomination_id: int, json: SupportIn):
    """Say "me too", at how often it happens to you."""
    supporter = service.support(session=get_session(), nomination_id=nomination_id,
                                user=needs_role(Role.STAFF, Role.BOARD), occurrences_per_week=json.occurrences_per_week)
    return SupportOut(nomination_id=nomination_id, occurrences_per_week=supporter.occurrences_per_week), 201


@bp.delete("/nominations/<int:nomination_id>/support")
@spec.validate(resp=Response("HTTP_204", HTTP_401=Problem, HTTP_403=Problem, HTTP_404=Problem, HTTP_422=Problem),
               tags=["support"])
def take_back_support(nomination_id: int):
    """Take back your "me too"."""
    service.take_back_support(session=get_session(), nomination_id=nomination_id,
                              user=needs_role(Role.STAFF, Role.BOARD))
    return "", 204


@bp.get("/nominations/<int:nomination_id>/comments")
@spec.validate(resp=Response(HTTP_200=CommentList, HTTP_401=Problem, HTTP_404=Problem), tags=["comments"])
def comments(nomination_id: int):
    """The comments, oldest first, as the nomination's page shows them to the token's owner."""
    return CommentList(comments=[_comment_out(shown) for shown in _shown_comments(nomination_id)])


@bp.post("/nominations/<int:nomination_id>/comments")
@spec.validate(json=CommentIn, resp=Response(HTTP_201=CommentOut, HTTP_401=Problem, HTTP_403=Problem,
                                             HTTP_404=Problem, HTTP_422=Problem), tags=["comments"])
def add_comment(nomination_id: int, json: CommentIn):
    """Comment; the nomination's followers are told, and anyone named after "@"."""
    written = service.comment(session=get_session(), nomination_id=nomination_id,
                              author=needs_role(Role.STAFF, Role.BOARD), body=json.body)
    [shown] = [entry for entry in _shown_comments(nomination_id) if entry.id == written.id]
    return _comment_out(shown), 201, {"Location": url_for("api.comments", nomination_id=nomination_id)}


def _shown_comments(nomination_id: int) -> list[CommentEntry]:
    """The comments as the nomination's page shows them to the caller: named by the one rule, hidden ones blank."""
    return nomination_details(session=get_session(), nomination_id=nomination_id, viewer=caller().user).comments


def _comment_out(entry: CommentEntry) -> CommentOut:
    return CommentOut(id=entry.id, at=entry.at, by=entry.who, text=entry.text, edited=entry.edited,
                      hidden=entry.hidden)
