"""/api/v1/nominations/<id>/…: the board's decisions (evaluate, reopen, retire, reject, mark a duplicate), its
votes and its revisions, through the same services as the board's panel (services/transitions.py, votes.py,
revisions.py), so that workflow.py decides what each move needs.

A change names the version it was made against in If-Match (the ETag of GET /nominations/<id>): a nomination that
someone changed since answers 412, and a change without If-Match 428, so that no program overwrites a decision
it never saw. The routes join views/api.py's blueprint, whose before_request authenticates the token.
"""

from datetime import date

from flask import abort, request
from pydantic import BaseModel, ConfigDict, Field
from spectree import Response

from ..db import get_session
from ..enums import OUTCOME_MEANS, AffectedRole, Outcome, RequirementSource, Role, VoteChoice
from ..schemas import RowId
from ..services.revisions import revise_nomination
from ..services.transitions import move_nomination
from ..services.votes import cast_vote
from ..workflow import Move
from .api import Problem, bp, needs_role, problem, spec
from .api_nominations import NominationOut, nomination_out

NOTE = Field(None, max_length=5000)
METRIC = Field(None, max_length=32, description="The EHR metric its retirement should move, e.g. WOW8.")
DEPARTMENTS = Field([], max_length=200, description="The departments whose metric it should move.")


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IfMatch(BaseModel):
    """A change's header, documented; matched_version reads it, so that its absence answers 428, not 422."""

    if_match: str | None = Field(None, alias="If-Match",
                                 description="The ETag of GET /api/v1/nominations/{id}: the version changed. "
                                             "Without it, 428; when someone changed the nomination since, 412.")


class EvaluateIn(Decision):
    minutes_per_occurrence: float | None = None
    occurrences_per_week: float | None = None
    clinicians_affected: int | None = None
    confirmed_source: RequirementSource | None = None
    note: str | None = NOTE
    owner_id: RowId | None = None
    measured_metric: str | None = METRIC
    affected_departments: list[RowId] = DEPARTMENTS
    myths: list[RowId] | None = Field(None, description="The regulatory myths of the library (/myths) it rests on, "
                                                         "in place of those named before; omitted, they stay.")


class ReopenIn(Decision):
    note: str | None = Field(None, max_length=5000, description="What more information is needed.")


class RetireIn(Decision):
    retired_on: date | None = None
    outcome: Outcome | None = Field(None, description="How it was resolved: " + "; ".join(
        f"{outcome.value}, {means}" for outcome, means in OUTCOME_MEANS.items()) + ".")
    note: str | None = Field(None, max_length=5000, description="What was changed.")
    measured_metric: str | None = METRIC
    affected_departments: list[RowId] = DEPARTMENTS


class RejectIn(Decision):
    note: str | None = Field(None, max_length=5000, description="The rationale: the submitter sees it.")


class DuplicateIn(Decision):
    duplicate_of: RowId = Field(description="The nomination that stays.")


class VoteIn(Decision):
    choice: VoteChoice


class VoteOut(BaseModel):
    nomination_id: int
    choice: VoteChoice


class RevisionIn(Decision):
    minutes_per_occurrence: float
    occurrences_per_week: float
    clinicians_affected: int
    department_id: RowId
    category_id: RowId
    affected_role: AffectedRole
    requirement_source: RequirementSource
    reason: str = Field(min_length=1, max_length=5000)


MOVES = {"evaluate": (Move.EVALUATE, EvaluateIn), "reopen": (Move.REOPEN, ReopenIn),
         "retire": (Move.RETIRE, RetireIn), "reject": (Move.REJECT, RejectIn),
         "duplicate": (Move.MARK_DUPLICATE, DuplicateIn)}
CHANGED = Response(HTTP_200=NominationOut, HTTP_401=Problem, HTTP_403=Problem, HTTP_404=Problem, HTTP_412=Problem,
                   HTTP_422=Problem, HTTP_428=Problem)


def _decision(name: str, move: Move, model: type[Decision]):
    def decide(nomination_id: int, json):
        board_member = needs_role(Role.BOARD)
        move_nomination(session=get_session(), nomination_id=nomination_id, move=move, actor=board_member,
                        expected_version=matched_version(), fields=as_fields(json))
        return nomination_out(nomination_id)

    decide.__name__ = name
    decide.__doc__ = f"{move.value.capitalize()}, as the board's panel does: If-Match names the version decided on."
    decide.__annotations__ = {"nomination_id": int, "json": model}  # what spectree hands the view
    return spec.validate(json=model, headers=IfMatch, resp=CHANGED, tags=["decisions"])(decide)


for _name, (_move, _model) in MOVES.items():
    bp.add_url_rule(f"/nominations/<int:nomination_id>/{_name}", _name, _decision(_name, _move, _model),
                    methods=["POST"])


@bp.post("/nominations/<int:nomination_id>/vote")
@spec.validate(json=VoteIn, resp=Response(HTTP_200=VoteOut, HTTP_401=Problem, HTTP_403=Problem, HTTP_404=Problem,
                                          HTTP_422=Problem), tags=["decisions"])
def vote(nomination_id: int, json: VoteIn):
    """Vote on an evaluated nomination, or change your vote."""
    cast = cast_vote(session=get_session(), nomination_id=nomination_id, voter=needs_role(Role.BOARD),
                     choice=json.choice)
    return VoteOut(nomination_id=nomination_id, choice=cast.choice)


@bp.post("/nominations/<int:nomination_id>/revision")
@spec.validate(json=RevisionIn, headers=IfMatch, resp=CHANGED, tags=["decisions"])
def revise(nomination_id: int, json: RevisionIn):
    """Revise its estimate, department, category, who does it or where the requirement comes from, and say why:
    every value as it should stand."""
    revise_nomination(session=get_session(), nomination_id=nomination_id, actor=needs_role(Role.BOARD),
                      expected_version=matched_version(), values=as_fields(json))
    return nomination_out(nomination_id)


def matched_version() -> int:
    """The version If-Match names: "3", W/"3" or 3; a change without one is refused (428)."""
    said = request.headers.get("If-Match", "").strip().removeprefix("W/").strip('"')
    if not said.isdigit() or len(said) > 9:
        abort(problem(428, "Say which version you change.", "Send the ETag of GET /api/v1/nominations/<id> as "
                      "If-Match, so that a change someone made meanwhile is not overwritten."))
    return int(said)


def as_fields(body: BaseModel) -> dict:
    """The body as the board's forms hand it to the services: vocabularies by their words, ids as text."""
    fields = body.model_dump()
    for name, value in fields.items():
        if isinstance(value, RequirementSource | AffectedRole):
            fields[name] = value.value
        elif name == "affected_departments":
            fields[name] = [str(id_) for id_ in value]
    return fields
