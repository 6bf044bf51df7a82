"""What the board does on a nomination's page: evaluate, private notes, votes, decisions, revisions and redaction.

Every decision is one form → move_nomination → answer: back to the page when it is made, the panel again
with the message beside the field when refused (422), the fresh panel and who changed it when the page was
stale (409). Votes and notes swap only their own fragment; the tally is polled so every viewer sees votes land.

One module of more than 300 lines, because a refused form redraws the whole board panel with every other form
fresh (_tools): the forms of the panel are built in one place, beside the views that post them.
"""

from dataclasses import dataclass, field
from functools import partial, update_wrapper

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from .. import hours
from ..db import get_session
from ..enums import AffectedRole, RequirementSource, Role, VoteChoice
from ..errors import DomainError, NotFound, StaleVersion, as_sentence
from ..forms import (
    BoardNoteForm,
    CommentForm,
    DecisionForm,
    DuplicateForm,
    EvaluateForm,
    MoveForm,
    RedactForm,
    RejectForm,
    ReopenForm,
    RetireForm,
    RevisionForm,
    SupportForm,
    VoteForm,
)
from ..queries.board_panel import BoardPanel, board_panel, duplicate_candidates, vote_summary
from ..queries.deciders import decides
from ..queries.details import nomination_details
from ..queries.measured_impact import affected_department_ids
from ..queries.myths import choices_for as myth_choices
from ..queries.myths import cited_by
from ..queries.redaction import Redactable
from ..queries.reference import for_lists
from ..queries.votes import tally as vote_tally
from ..schemas import as_typed
from ..services.board_notes import add_note
from ..services.redaction import redact
from ..services.revisions import revise_nomination
from ..services.transitions import move_nomination
from ..services.votes import cast_vote
from ..workflow import Move, may_revise
from .auth import role_required
from .rendering import render, wants_fragment

bp = Blueprint("decide", __name__, url_prefix="/nominations")


@bp.before_request
def _deciders_only():
    """A board member of other sites has no panel on this nomination: 403 before anything is read. Anyone else is
    answered by role_required."""
    nomination_id = (request.view_args or {}).get("nomination_id")
    if (nomination_id is not None and current_user.is_authenticated and current_user.has_any(Role.BOARD)
            and not decides(session=get_session(), user=current_user.user, nomination_id=nomination_id)):
        abort(403)

FORMS = {Move.EVALUATE: EvaluateForm, Move.REOPEN: ReopenForm, Move.RETIRE: RetireForm, Move.REJECT: RejectForm,
         Move.MARK_DUPLICATE: DuplicateForm}
DONE = {Move.EVALUATE: "Evaluated. The board can vote on it now.", Move.REOPEN: "Reopened: it is proposed again.",
        Move.RETIRE: "Retired. Well done.", Move.REJECT: "Rejected; the submitter sees the rationale.",
        Move.MARK_DUPLICATE: "Marked as a duplicate; its supporters moved to the nomination that stays."}
ROUTES = {"evaluate": Move.EVALUATE, "reopen": Move.REOPEN, "retire": Move.RETIRE, "reject": Move.REJECT,
          "duplicate": Move.MARK_DUPLICATE}  # the last part of the address, and the endpoint's name


@dataclass
class BoardTools:
    """The panel's data, a form per decision (fresh, or the one just posted), and what to tell the person."""

    panel: BoardPanel
    forms: dict[str, FlaskForm] = field(default_factory=dict)
    message: str | None = None
    candidates: list = field(default_factory=list)
    posted: str | None = None  # the decision just sent, kept open with what was typed
    typed_note: str | None = None  # what was typed in a decision no longer on offer, to copy from


@role_required(Role.BOARD)
def decide(nomination_id: int, move: Move):
    """Every decision: one form → move_nomination → answer (see the module's docstring)."""
    panel = _panel(nomination_id)  # 404 for a nomination that does not exist
    form = FORMS[move]()
    _offer_owners(form, panel)

    def moved() -> str:
        move_nomination(session=get_session(), nomination_id=nomination_id, move=move, actor=current_user.user,
                        expected_version=form.version.data, fields=form.fields())
        return DONE[move]

    return _decided(panel, form, moved, posted=(move, form))


def _decided(panel: BoardPanel, form: DecisionForm, act, **posted):
    """Runs the decision (act returns what to tell the person) and answers: back to the page when it is made, the
    panel again with the reason otherwise."""
    status, message, refusal = 422, None, None
    if form.validate_on_submit():
        try:
            return _made(panel.nomination.id, act())
        except StaleVersion as error:
            status, message = 409, error.message
        except DomainError as error:
            _put_beside_fields(form, error)
            refusal = error.message
    elif form.version.errors:
        message = "This form is out of date. Reload the page and try again."
    # A refused decision leaves nothing behind, not even in this request's session; the panel read before it
    # is still how things stand, and its nomination reloads after the rollback.
    get_session().rollback()
    tools = _tools(panel, message=message, **posted)
    if form not in tools.forms.values():  # no form on the panel to show the refusal beside
        tools.message = tools.message or refusal
    return _answer(panel.nomination.id, "nominations/_board_panel.html", status, tools)


# One view for every decision; each keeps its own address and endpoint name (decide.evaluate, ...).
for _endpoint, _move in ROUTES.items():
    bp.add_url_rule(f"/<int:nomination_id>/{_endpoint}", _endpoint,
                    update_wrapper(partial(decide, move=_move), decide), methods=["POST"])


@bp.get("/<int:nomination_id>/duplicate-candidates")
@role_required(Role.BOARD)
def candidates(nomination_id: int):
    """The search-as-you-type picker: nominations with every word of `q`, as radio buttons."""
    found = duplicate_candidates(session=get_session(), nomination_id=nomination_id, q=request.args.get("q", ""))
    return render_template("nominations/_duplicate_candidates.html", candidates=found, chosen=None,
                           q=request.args.get("q", ""))


@bp.post("/<int:nomination_id>/revise")
@role_required(Role.BOARD)
def revise(nomination_id: int):
    """The board's revision of the estimate or classification: the same answers as a decision."""
    panel = _panel(nomination_id)
    form = RevisionForm()
    _offer_places(form)

    def revised() -> str:
        changed = revise_nomination(session=get_session(), nomination_id=nomination_id, actor=current_user.user,
                                    expected_version=form.version.data, values=form.fields())
        return f"Revised: {'; '.join(changed)}."

    return _decided(panel, form, revised, revision_form=form)


@bp.post("/<int:nomination_id>/votes")
@role_required(Role.BOARD)
def vote(nomination_id: int):
    form, message = VoteForm(), None
    passed_before = vote_tally(session=get_session(), nomination_id=nomination_id).passed
    if form.validate_on_submit():
        try:
            cast_vote(session=get_session(), nomination_id=nomination_id, voter=current_user.user,
                      choice=VoteChoice(form.choice.data))
        except NotFound:
            abort(404)
        except DomainError as error:
            message = error.message
    else:
        message = "Choose approve, reject or abstain."
    if message is None and not wants_fragment():
        return redirect(url_for("nominations.show", nomination_id=nomination_id), code=303)
    tools = _board_tools(nomination_id, message=message)
    return _answer(nomination_id, "nominations/_votes.html", 422 if message else 200, tools,
                   votes=tools.panel.votes, vote_form=tools.forms["vote"], vote_message=message,
                   retire_out_of_band=wants_fragment() and tools.panel.votes.tally.passed != passed_before)


@bp.get("/<int:nomination_id>/tally")
@role_required(Role.BOARD)
def tally(nomination_id: int):
    """The tally, polled; with the retirement's slot too once the vote has passed, or no longer has, since the
    page was drawn (`passed` is what the page shows)."""
    votes = vote_summary(session=get_session(), nomination_id=nomination_id, viewer=current_user.user)
    outcome_changed = request.args.get("passed") != str(int(votes.tally.passed))
    board = _board_tools(nomination_id) if outcome_changed else None
    response = make_response(render_template("nominations/_tally.html", votes=votes, board=board,
                                             retire_out_of_band=outcome_changed))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<int:nomination_id>/board-notes")
@role_required(Role.BOARD)
def board_note(nomination_id: int):
    form = BoardNoteForm()
    status = 422
    if form.validate_on_submit():
        try:
            add_note(session=get_session(), nomination_id=nomination_id, author=current_user.user,
                     body=form.body.data)
            status, form = 200, BoardNoteForm(formdata=None)
        except NotFound:
            abort(404)
        except DomainError as error:
            form.body.errors = [error.fields.get("body", error.message)]
    if status == 200 and not wants_fragment():
        return redirect(url_for("nominations.show", nomination_id=nomination_id), code=303)
    tools = _board_tools(nomination_id, note_form=form)
    return _answer(nomination_id, "nominations/_board_notes.html", status, tools,
                   notes=tools.panel.notes, note_form=form)


@bp.post("/<int:nomination_id>/redact")
@role_required(Role.BOARD)
def redact_text(nomination_id: int):
    form = RedactForm()
    if form.validate_on_submit():
        try:
            what = redact(session=get_session(), nomination_id=nomination_id, key=form.text.data,
                          actor=current_user.user)
            return _made(nomination_id, f"Redacted {what}. The history says who and when, never what it said.")
        except NotFound:
            abort(404)
        except DomainError as error:
            form.text.errors = [error.fields.get("text", error.message)]
    get_session().rollback()
    tools = _board_tools(nomination_id, redact_form=form)
    return _answer(nomination_id, "nominations/_redact.html", 422, tools)


def _made(nomination_id: int, message: str):
    """Back to the page, where everything (state, history, panel) shows the decision."""
    flash(message)
    page = url_for("nominations.show", nomination_id=nomination_id)
    if wants_fragment():
        response = make_response("", 200)
        response.headers["HX-Redirect"] = page
        return response
    return redirect(page, code=303)


def _put_beside_fields(form: DecisionForm, error: DomainError) -> None:
    for name, message in {**form.problems(), **error.fields}.items():
        if name in form:
            form[name].errors = [as_sentence(message)]
    form.form_errors = [error.message]


def _answer(nomination_id: int, fragment: str, status: int, tools: BoardTools, **fragment_context):
    """The fragment for htmx; otherwise the whole page, with the board's panel as it now stands."""
    details = None if wants_fragment() else nomination_details(
        session=get_session(), nomination_id=nomination_id, viewer=current_user.user)
    return render("nominations/show.html", fragment, status, nomination_id=nomination_id, board=tools, details=details,
                  comment_form=CommentForm(), support_form=SupportForm(), move_form=MoveForm(formdata=None),
                  **fragment_context)


def _board_tools(nomination_id: int, **tools) -> BoardTools:
    return _tools(_panel(nomination_id), **tools)


def _panel(nomination_id: int) -> BoardPanel:
    try:
        return board_panel(session=get_session(), nomination_id=nomination_id, viewer=current_user.user)
    except NotFound:
        abort(404)


def _tools(panel: BoardPanel, *, message: str | None = None, posted: tuple | None = None,
           note_form: BoardNoteForm | None = None, redact_form: RedactForm | None = None,
           revision_form: RevisionForm | None = None) -> BoardTools:
    tools = BoardTools(panel=panel, message=message)
    tools.forms = {move.value: _fresh_form(move, panel) for move in panel.moves}
    if may_revise(panel.nomination.state):
        tools.forms["revise"] = revision_form or _fresh_revision(panel)
    if posted:
        _keep_typed(tools, *posted)
    tools.forms["vote"] = VoteForm(formdata=None)
    tools.forms["note"] = note_form or BoardNoteForm(formdata=None)
    tools.forms["redact"] = redact_form or RedactForm(formdata=None)
    tools.forms["redact"].text.choices = [("", "Choose a text"), *((t.key, _label(t)) for t in panel.redactable)]
    duplicate_form = tools.forms.get(Move.MARK_DUPLICATE.value)
    if duplicate_form is not None and duplicate_form.q.data:
        tools.candidates = duplicate_candidates(session=get_session(), nomination_id=panel.nomination.id,
                                                q=duplicate_form.q.data)
    return tools


def _keep_typed(tools: BoardTools, move: Move, form: DecisionForm) -> None:
    """What was typed stays, in its form when the move is still offered (the version is always the fresh
    one), and otherwise beside the message, so a note written while someone else decided is not lost."""
    if move in tools.panel.moves:
        tools.forms[move.value], tools.posted = form, move.value
    elif getattr(form, "note", None) is not None and (form.note.data or "").strip():
        tools.typed_note = form.note.data


def _fresh_form(move: Move, panel: BoardPanel) -> DecisionForm:
    """Evaluate starts from the estimate in force (the submitter's, or the board's after a reopen)."""
    nomination = panel.nomination
    data = {}
    if move in (Move.EVALUATE, Move.RETIRE):
        data = {"measured_metric": nomination.measured_metric or "",
                "affected_departments": [str(id_) for id_ in affected_department_ids(session=get_session(),
                                                                                     nomination=nomination)]}
    if move is Move.EVALUATE:
        minutes, per_week, clinicians = nomination.estimate
        source = nomination.confirmed_source or nomination.requirement_source
        owner = nomination.owner_id or current_user.id
        owner = owner if owner in dict(panel.board_members) else ""  # one no longer deciding for its site: none
        data |= {"minutes_per_occurrence": as_typed(minutes), "occurrences_per_week": as_typed(per_week),
                "clinicians_affected": as_typed(clinicians), "confirmed_source": RequirementSource(source).value,
                "note": nomination.evaluation_note, "owner_id": str(owner),
                "myths": [str(id_) for id_, _belief in cited_by(session=get_session(), nomination_id=nomination.id)]}
    form = FORMS[move](formdata=None, data=data)
    _offer_owners(form, panel)
    return form


def _fresh_revision(panel: BoardPanel) -> RevisionForm:
    """Every value as it stands: the estimate in force, the board's source once it has one."""
    nomination = panel.nomination
    minutes, per_week, clinicians = nomination.estimate
    source = nomination.confirmed_source or nomination.requirement_source
    form = RevisionForm(formdata=None, data={
        "minutes_per_occurrence": as_typed(minutes), "occurrences_per_week": as_typed(per_week),
        "clinicians_affected": as_typed(clinicians), "department_id": str(nomination.department_id),
        "category_id": str(nomination.category_id), "affected_role": AffectedRole(nomination.affected_role).value,
        "requirement_source": RequirementSource(source).value})
    _offer_places(form)
    return form


def _offer_places(form: RevisionForm) -> None:
    names = for_lists(session=get_session())
    form.department_id.choices = [(str(id_), name) for id_, name in names.departments]
    form.category_id.choices = [(str(id_), name) for id_, name in names.categories]


def _offer_owners(form: FlaskForm, panel: BoardPanel) -> None:
    """The choices the view gives: owners (board members) and the departments a retirement may affect."""
    if isinstance(form, EvaluateForm):
        form.owner_id.choices = [("", "No owner yet"), *((str(id_), name) for id_, name in panel.board_members)]
        form.myths.choices = [(str(id_), belief) for id_, belief
                              in myth_choices(session=get_session(), nomination=panel.nomination)]
    if isinstance(form, EvaluateForm | RetireForm):
        form.affected_departments.choices = [(str(id_), name) for id_, name
                                             in for_lists(session=get_session()).departments]


def _label(text: Redactable) -> str:
    when = f" of {hours.on_clocks_of(text.at, for_lists(session=get_session()).time_zone):%Y-%m-%d %H:%M %Z}" \
        if text.at else ""
    return f"{as_sentence(text.what)}{when}: “{text.excerpt}”"


def board_tools_for_page(nomination_id: int) -> BoardTools | None:
    """The board's panel for a nomination's page drawn by another view, for the board members who decide for its
    site only; None for anyone else, and show.html then leaves the panel out."""
    if not current_user.is_authenticated or not decides(session=get_session(), user=current_user.user,
                                                         nomination_id=nomination_id):
        return None
    return _board_tools(nomination_id)
