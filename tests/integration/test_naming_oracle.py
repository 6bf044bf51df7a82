"""The anonymity oracle: nothing that identifies an anonymous nomination names its submitter, to anyone else.

Two people with distinctive names submit anonymously, a staff member and a board member, and their nominations
go through every state (evaluated, voted, reopened, rejected, withdrawn, retired, duplicate in both directions),
with comments and a screenshot as the submitter. Then every role, and each submitter, asks every route in the URL
map (pages and htmx fragments; posts with valid, stale and invalid input, and without a CSRF token; each
operation of the API with a token of theirs), the quarter's workbook, an import and its report; and every email
sent and log line written is kept.

Names appear legitimately elsewhere: the board member is named for what they did as the board, the owner picker
lists every board member, the user administration lists people. So the oracle reads an output in pieces (a
table row, a list item, an option, an article, a sheet's row, a log line, an email) and asks, of each piece that
identifies an anonymous nomination (its title, or a link to it), that it names no submitter of it; on a page or
fragment of the nomination itself, everything but the pieces about other things is one such piece.
"""

import json as json_module
import logging
import re
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
from flask import url_for
from sqlmodel import select

from burden_tracker import create_app, hours
from burden_tracker.enums import Role, TokenScope, VoteChoice
from burden_tracker.jobs import email_notices_now
from burden_tracker.models import Nomination, User
from burden_tracker.queries.reference import first_site_id
from burden_tracker.services.api_tokens import create_token
from burden_tracker.services.attachments import attach, release
from burden_tracker.services.nominations import comment, support
from burden_tracker.services.transitions import move_nomination
from burden_tracker.services.votes import cast_vote
from burden_tracker.views import mailing
from burden_tracker.workflow import Move
from tests.support.factories import make_card, make_nomination, make_user
from tests.support.files import png_bytes
from tests.support.routes import ARGUMENTS
from tests.support.web import HTMX, csrf_token, sign_in

BASE_URL = "https://burden.hospital.test/"
EVALUATION = {"minutes_per_occurrence": "2", "occurrences_per_week": "10", "clinicians_affected": "40",
              "confirmed_source": "internal policy", "note": "Checked on two wards."}
TODAY = date.today()


@dataclass
class Program:
    people: dict[str, User]
    anonymous: dict[str, int]  # title -> id, for every anonymous nomination
    secret_of: dict[int, User]  # nomination id -> its anonymous submitter
    named: dict[str, int]  # title -> id, for the named nominations that point at anonymous ones
    card: int  # a burden card from another health system, an anonymous nomination begun from it
    outputs: list = field(default_factory=list)  # (who asked, what, text)


def _move(session, people, nomination_id, move, by, **fields):
    version = session.get_one(Nomination, nomination_id).version
    move_nomination(session=session, nomination_id=nomination_id, move=move, actor=people[by],
                    expected_version=version, fields=fields)


def _build(session, folder: Path) -> Program:
    people = {
        "secret_staff": make_user(session, Role.STAFF, name="Quillon Vantablack",
                                  email="quillon.vantablack@oracle.test", can_sign_in=True),
        "secret_board": make_user(session, Role.STAFF, Role.BOARD, name="Ysolde Marchbanks",
                                  email="ysolde.marchbanks@oracle.test", can_sign_in=True),
        "chair": make_user(session, Role.STAFF, Role.BOARD, name="Dr. Alex Chen", can_sign_in=True),
        "second": make_user(session, Role.BOARD, name="Linda Okoro", can_sign_in=True),
        "colleague": make_user(session, Role.STAFF, name="Sam Rivera", can_sign_in=True),
        "executive": make_user(session, Role.EXECUTIVE, name="Erin Exec", can_sign_in=True),
        "admin": make_user(session, Role.ADMIN, name="Ada Admin", can_sign_in=True),
    }
    by = {"staff": people["secret_staff"], "board": people["secret_board"]}
    anonymous, secret_of = {}, {}

    def anonymous_nomination(who: str, what: str) -> int:
        title = f"Oracle {who} {what} burden"
        nomination = make_nomination(session, submitter=by[who], anonymous=True, title=title, submitted_on=TODAY)
        anonymous[title], secret_of[nomination.id] = nomination.id, by[who]
        return nomination.id

    def named_nomination(what: str) -> int:
        return make_nomination(session, submitter=people["colleague"], title=f"Named {what} burden",
                               submitted_on=TODAY).id

    evaluate = dict(EVALUATION, owner_id=str(people["chair"].id))
    for who in ("staff", "board"):
        retired = anonymous_nomination(who, "retired")
        comment(session=session, nomination_id=retired, author=by[who], body=f"More detail from the {who} submitter.")
        support(session=session, nomination_id=retired, user=people["colleague"], occurrences_per_week=3)
        _move(session, people, retired, Move.EVALUATE, "chair", **evaluate)
        for voter in ("chair", "second"):
            cast_vote(session=session, nomination_id=retired, voter=people[voter], choice=VoteChoice.APPROVE)
        _move(session, people, retired, Move.RETIRE, "chair", retired_on=TODAY, outcome="removed",
              note="The row is gone.")

        rejected = anonymous_nomination(who, "rejected")
        _move(session, people, rejected, Move.EVALUATE, "chair", **evaluate)
        _move(session, people, rejected, Move.REOPEN, "second", note="Which unit?")
        _move(session, people, rejected, Move.REJECT, "second", note="The payer requires it.")

        _move(session, people, anonymous_nomination(who, "withdrawn"), Move.WITHDRAW, f"secret_{who}")
        added = attach(session=session, folder=folder, nomination_id=anonymous_nomination(who, "open"),
                       uploader=by[who], stream=BytesIO(png_bytes()), file_name=f"Screen from the {who} submitter.png",
                       max_bytes=10 * 1024 * 1024)
        if who == "staff":
            release(session=session, nomination_id=added.nomination_id, attachment_id=added.id, actor=people["chair"])
        evaluated = anonymous_nomination(who, "evaluated")
        _move(session, people, evaluated, Move.EVALUATE, "chair", **evaluate)
        cast_vote(session=session, nomination_id=evaluated, voter=people["second"], choice=VoteChoice.REJECT)

    survivor = named_nomination("survivor")
    _move(session, people, anonymous_nomination("staff", "duplicate"), Move.MARK_DUPLICATE, "chair",
          duplicate_of=survivor)
    merged_in = named_nomination("merged")
    _move(session, people, merged_in, Move.MARK_DUPLICATE, "chair",
          duplicate_of=anonymous["Oracle board open burden"])
    board_work = named_nomination("board work")  # where the secret board member acts as the board
    _move(session, people, board_work, Move.EVALUATE, "secret_board", **dict(EVALUATION, owner_id=str(
        people["secret_board"].id)))
    cast_vote(session=session, nomination_id=board_work, voter=people["secret_board"], choice=VoteChoice.APPROVE)
    named = {"Named survivor burden": survivor, "Named merged burden": merged_in,
             "Named board work burden": board_work}
    card = make_card(session, "Oracle card from another health system").id  # its page lists what began from it
    session.get_one(Nomination, anonymous["Oracle staff open burden"]).from_card_id = card
    session.commit()
    return Program(people, anonymous, secret_of, named, card)


# Reading outputs in pieces.

PIECE = re.compile(r"<(tr|li|option|article)\b.*?</\1>", re.S)
SKIP = re.compile(r"<header class=\"container\">.*?</header>", re.S)  # the navigation, the same on every page


def _secret_words(person: User) -> tuple[str, ...]:
    return person.name, person.email, person.email.split("@")[0]


def identifies(text: str, title: str, nomination_id: int) -> bool:
    return title in text or re.search(rf"/nominations/{nomination_id}(?!\d)", text) is not None


def html_pieces(text: str, own_page: bool) -> list[str]:
    """The rows, items and options of a page, and, on a nomination's own page, what is left around them."""
    text = SKIP.sub("", text)
    pieces = [match.group(0) for match in PIECE.finditer(text)]
    return [*pieces, PIECE.sub("", text)] if own_page else pieces or [text]


def leaks(program: Program, viewer: User | None, pieces: list[str]) -> list[str]:
    found = []
    for title, nomination_id in program.anonymous.items():
        secret = program.secret_of[nomination_id]
        if viewer is not None and viewer.id == secret.id:
            continue  # their own nomination: they may see themselves
        for piece in pieces:
            if identifies(piece, title, nomination_id):
                found += [f"{word!r} beside {title!r}: {piece[:300]!r}" for word in _secret_words(secret)
                          if word.casefold() in piece.casefold()]
    return found


# Asking every route.

# Only these are left out, and why.
NOT_ASKED = {("auth.logout", "POST"): "signing out would end the session the rest of the walk uses; it names no one",
             ("auth.login", "POST"): "signing in is done for each person before the walk"}


def _values(program: Program, session, rule) -> list[dict]:
    ids = [*program.anonymous.values(), *program.named.values()]
    options = dict(ARGUMENTS, nomination_id=ids, quarter=[str(hours.Quarter.containing(TODAY))],
                   user_id=[person.id for person in program.people.values()],
                   item_id=[session.get_one(Nomination, ids[0]).department_id], card_id=[program.card])
    chosen = [{}]
    for argument in rule.arguments:
        chosen = [dict(values, **{argument: value}) for values in chosen for value in options[argument]]
    return chosen


def _posted(program: Program, session, rule, args: dict) -> list[dict]:
    """Valid, stale and empty submissions of a form."""
    nomination = session.get(Nomination, args["nomination_id"]) if "nomination_id" in args else None
    stale = str((nomination.version or 1) - 1) if nomination else "0"
    fields = {"body": "An oracle comment.", "occurrences_per_week": "2", "choice": "approve", "outcome": "removed",
              "retired_on": TODAY.isoformat(), "note": "Oracle note.",
              "duplicate_of": str(next(iter(program.named.values()))), **EVALUATION}
    return [dict(fields, version=str(nomination.version)) if nomination else {}, dict(fields, version=stale), {}]


# Asked again for one site: a site's dashboard and workbook are read by queries of their own.
FOR_ONE_SITE = {"dashboard.index", "reports.workbook"}


def walk(program: Program, app, session, viewer_key: str | None) -> None:
    """Every route as this person. A submitter posts only to their own nominations: what they do there (a
    comment, a withdrawal) is what the others then read, and what they post elsewhere is what anyone may."""
    client = app.test_client()
    viewer = program.people.get(viewer_key)
    if viewer is not None:
        assert sign_in(client, viewer.email).status_code == 302
    token = csrf_token(client, "/login")
    # A post without its CSRF token is refused before any view runs, with the same page wherever it is sent.
    _ask(program, client, viewer, "/nominations/new", False, "POST", {}, {"body": "no token"})
    one_site = f"site={first_site_id(session=session)}"
    session.commit()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and rule.endpoint not in API_OPEN:
            continue  # a browser's cookie is answered 401 there: walk_api asks it with a token
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if (rule.endpoint, method) in NOT_ASKED:
                continue
            arguments = _values(program, session, rule)
            session.commit()  # on SQLite an open transaction would hold the lock the app needs
            for args in arguments:
                try:
                    with app.test_request_context():
                        url = url_for(rule.endpoint, **args)
                except ValueError:  # an action this route does not take
                    continue
                own_page = "nomination_id" in args
                if method == "GET":
                    for address in [url, *([f"{url}{'&' if '?' in url else '?'}{one_site}"]
                                           if rule.endpoint in FOR_ONE_SITE else [])]:
                        for headers in ({}, HTMX):
                            _ask(program, client, viewer, address, own_page, "GET", headers)
                    continue
                if own_page and not _posts_to(program, viewer, args["nomination_id"], rule.endpoint):
                    continue
                valid, stale, empty = _posted(program, session, rule, args)
                session.commit()
                for data, headers in ((valid, HTMX), (stale, HTMX), (empty, {})):
                    _ask(program, client, viewer, url, own_page, "POST", headers | {"X-CSRFToken": token},
                         data | {"csrf_token": token})


# What a program reads and writes through /api/v1, with a token of each person's.

API_OPEN = {"api.openapi", "api.docs"}
# The quarter's workbook is written by the same call as /reports/QUARTER.xlsx, which walk reads as each person: it
# is not asked again here, a workbook being the slowest thing to ask for.
API_AS_PAGES = {"api.quarter_workbook"}


def _api_bodies(program: Program, session) -> dict:
    """A valid body for each operation that takes one, as the pages' valid forms above."""
    some = session.get_one(Nomination, next(iter(program.named.values())))
    return {"api.create_nomination": {"title": "Oracle API nomination", "description": "Typed twice.",
                                      "category": "task", "department": "Emergency Department",
                                      "affected_role": "nurse", "requirement_source": "payer",
                                      "minutes_per_occurrence": 1, "occurrences_per_week": 5,
                                      "clinicians_affected": 10},
            "api.add_support": {"occurrences_per_week": 2}, "api.add_comment": {"body": "An oracle API comment."},
            "api.evaluate": {"minutes_per_occurrence": 2, "occurrences_per_week": 10, "clinicians_affected": 40,
                             "confirmed_source": "internal policy", "note": "Checked on two wards."},
            "api.reopen": {"note": "Oracle note."}, "api.reject": {"note": "Oracle note."},
            "api.retire": {"retired_on": TODAY.isoformat(), "outcome": "removed", "note": "Oracle note."},
            "api.duplicate": {"duplicate_of": some.id}, "api.vote": {"choice": "approve"},
            "api.revise": {"minutes_per_occurrence": 2, "occurrences_per_week": 5, "clinicians_affected": 40,
                           "department_id": some.department_id, "category_id": some.category_id,
                           "affected_role": "nurse", "requirement_source": "payer", "reason": "Oracle."}}


def walk_api(program: Program, app, session, viewer_key: str | None) -> None:
    """Every operation of the API as this person, through a token of theirs that may change things: reads of
    every nomination, and a valid change of each anonymous one, as walk posts its forms."""
    client = app.test_client()
    viewer = program.people.get(viewer_key)
    secret = create_token(session=session, user=viewer, name="Oracle", scope=TokenScope.WRITE)[1] if viewer else ""
    bodies = _api_bodies(program, session)
    session.commit()
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api.") or rule.endpoint in API_OPEN | API_AS_PAGES:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            arguments = _values(program, session, rule)
            session.commit()  # on SQLite an open transaction would hold the lock the app needs
            for args in arguments:
                own_page = "nomination_id" in args
                if method != "GET" and not _changes_through_api(program, viewer):
                    continue  # refused by role before any view runs: integration/views/test_api_*.py ask it
                if method != "GET" and own_page and not _posts_to(program, viewer, args["nomination_id"],
                                                                   rule.endpoint.replace("api.", "decide.", 1)
                                                                   if rule.endpoint in API_DECISIONS else ""):
                    continue
                version = session.get_one(Nomination, args["nomination_id"]).version if own_page else 0
                session.commit()
                with app.test_request_context():
                    url = url_for(rule.endpoint, **args)
                headers = {"Authorization": f"Bearer {secret}", "If-Match": f'"{version}"'}
                _ask(program, client, viewer, url, own_page, method, headers, json=bodies.get(rule.endpoint))


def _changes_through_api(program: Program, viewer: User | None) -> bool:
    """Who changes things through the API here: each anonymous submitter, and the board. The others' changes are
    refused by role before any view runs (integration/views/test_api_*.py ask them), or read as the board's do."""
    submitters = {person.id for person in program.secret_of.values()}
    return viewer is not None and (viewer.id in submitters or viewer.has_role(Role.BOARD))


API_DECISIONS = {"api.evaluate", "api.reopen", "api.retire", "api.reject", "api.duplicate", "api.vote", "api.revise"}


def _posts_to(program: Program, viewer: User | None, nomination_id: int, endpoint: str) -> bool:
    """Everyone posts to every anonymous nomination, but its submitters to their own only, and there only as
    its submitter: a board member deciding on their own nomination is named for it, as the rule says
    (integration/test_naming.py holds that case)."""
    if nomination_id not in program.secret_of:
        return False  # a named nomination: its pages are read, and posting there tells nothing more
    secret_viewer = viewer is not None and viewer.id in {person.id for person in program.secret_of.values()}
    if not secret_viewer:
        return True
    return program.secret_of[nomination_id].id == viewer.id and not endpoint.startswith("decide.")


def _ask(program, client, viewer, url, own_page, method, headers, data=None, json=None):
    with client.open(url, method=method, headers=headers, data=data, json=json) as response:
        assert response.status_code < 500, f"{method} {url}: {response.status_code}"
        if response.mimetype in ("application/json", "application/problem+json"):
            program.outputs.append((viewer, f"{method} {url}", json_pieces(response.get_json(), own_page)))
        elif response.mimetype == "text/html":
            text = response.get_data(as_text=True)
            program.outputs.append((viewer, f"{method} {url}", html_pieces(text, own_page)))
        elif response.mimetype.endswith("spreadsheetml.sheet"):
            program.outputs.append((viewer, f"{method} {url}", workbook_pieces(response.get_data())))
        elif response.mimetype == "text/csv":
            program.outputs.append((viewer, f"{method} {url}", response.get_data(as_text=True).splitlines()))


def json_pieces(document, own_page: bool) -> list[str]:
    """A list's items, each on its own; a nomination's own document (or its comments) whole."""
    listed = [value for value in document.values() if isinstance(value, list)] if isinstance(document, dict) else []
    if own_page or not listed:
        return [json_module.dumps(document, ensure_ascii=False)]
    return [json_module.dumps(item, ensure_ascii=False) for item in listed[0]]


def workbook_pieces(content: bytes) -> list[str]:
    workbook = openpyxl.load_workbook(BytesIO(content), read_only=True)
    return [" | ".join(str(value) for value in row if value is not None)
            for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)]


def _import_reports(app, session, program: Program, tmp_path) -> list:
    """An import of anonymous rows: refused for a bad row, checked, then made. Its rows join the program."""
    header = ("title,description,category,department,affected_role,minutes_per_occurrence,occurrences_per_week,"
              "clinicians_affected,requirement_source,submitted_by,anonymous,status,retired_on")
    secret = program.people["secret_staff"].email
    rows = [f"Oracle imported {state} burden,Typed twice.,task,Emergency Department,nurse,1,5,10,payer,"
            f"{secret},yes,{state},{retired_on}" for state, retired_on in (("proposed", ""), ("retired", TODAY))]
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([header, *rows, rows[0].replace(",1,5,", ",-1,5,")]) + "\n", encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    runner = app.test_cli_runner()
    outputs = []
    for args in (["import", str(bad)], ["import", "--dry-run", str(good)], ["import", str(good)]):
        result = runner.invoke(args=args)
        outputs.append((None, " ".join(args[:-1]), result.output.splitlines()))
    found = session.exec(select(Nomination).where(Nomination.title.like("Oracle imported %"))).all()
    assert len(found) == 2, outputs
    for nomination in found:
        program.anonymous[nomination.title] = nomination.id
        program.secret_of[nomination.id] = program.people["secret_staff"]
    session.commit()
    return outputs


# The test.


@pytest.fixture
def mailing_app(engine, database_url, inbox, tmp_path):
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "a key for tests only",
                      "SMTP_HOST": "127.0.0.1", "SMTP_PORT": inbox.port, "MAIL_FROM": "tracker@hospital.test",
                      "BASE_URL": BASE_URL, "ATTACHMENTS_DIR": str(tmp_path / "attachments"), "JOBS_URL": "immediate"})
    mailing.init_app(app)
    yield app
    app.extensions["db_engine"].dispose()


def test_every_route_is_asked_by_the_oracle(app):
    asked = {(rule.endpoint, method) for rule in app.url_map.iter_rules()
             for method in rule.methods - {"HEAD", "OPTIONS"}} - set(NOT_ASKED)
    unknown = {argument for rule in app.url_map.iter_rules() for argument in rule.arguments} - {
        *ARGUMENTS, "nomination_id", "quarter", "user_id", "item_id"}
    assert asked and unknown == set(), "give the oracle values for these route arguments"


def test_no_output_about_an_anonymous_nomination_names_its_submitter(mailing_app, session, inbox, caplog, tmp_path):
    program = _build(session, Path(mailing_app.config["ATTACHMENTS_DIR"]))
    session.commit()
    caplog.set_level(logging.INFO)
    program.outputs += _import_reports(mailing_app, session, program, tmp_path)
    for viewer in ("secret_staff", "secret_board", "colleague", "chair", "executive", "admin", None):
        walk(program, mailing_app, session, viewer)
        walk_api(program, mailing_app, session, viewer)
    email_notices_now(mailing_app)

    problems = [f"{asked} as {viewer.email if viewer else 'nobody signed in'}: {leak}"
                for viewer, asked, pieces in program.outputs for leak in leaks(program, viewer, pieces)]
    for recipients, message in inbox.received:
        reader = session.exec(select(User).where(User.email == recipients[0])).one()
        text = f"{message['Subject']}\n{message.get_content()}"
        problems += [f"email to {recipients[0]}: {leak}" for leak in leaks(program, reader, [text])]
    for record in caplog.records:
        line = record.getMessage()
        problems += [f"log line: {leak}" for leak in leaks(program, None, [line])]
        problems += [f"log line ties {person.email} to #{id_}: {line}" for id_, person in program.secret_of.items()
                     if re.search(rf"/nominations/{id_}(?!\d)", line) and f'"user_id": {person.id},' in line]
    assert problems == [], "\n".join(problems[:40])
    assert len(inbox.received) > 10 and len(caplog.records) > 100  # the walk did reach the mail and the logs
    assert sum(asked.startswith("GET /api/v1/nominations/") for _, asked, _ in program.outputs) > 100  # and the API
