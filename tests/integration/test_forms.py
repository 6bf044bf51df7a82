"""Every form and htmx endpoint fuzzed with hostile values (hypothesis), on SQLite and PostgreSQL.

Whatever arrives, the app answers without a 500; a refusal (4xx) stores nothing; user text comes back escaped.
The endpoints come from the URL map: a new form or page without an entry in POSTS, PARAMETERS or PAGES fails
test_every_route_is_fuzzed, so deciding how to fuzz it is part of adding it.

Each example starts from a valid submission and spoils some of it: a field gets a hostile value (control
characters, lone surrogates, huge, negative, NaN and infinite numbers, XSS and template payloads), several values
at once, or goes missing. Values travel the three ways a client can send them: urlencoded as a browser does (a
lone surrogate as its invalid UTF-8 bytes, %ED%A0%80), as raw bytes, and as multipart. 1 MB fields, bodies over
the limit, and shapes no browser sends (a field as a file part, sent twice, as bytes that are not UTF-8, the form as
JSON: refused whole with 400) have tests of their own. Set FUZZ_EXAMPLES for a longer run.
"""

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from urllib.parse import quote, quote_from_bytes

import pytest
from flask import url_for
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from sqlalchemy import text
from sqlmodel import Session

from burden_tracker import create_app
from burden_tracker.enums import Role, State, VoteChoice, WebhookFormat, WorkbookState
from burden_tracker.models import Attachment, Comment, Myth, Notification, Site, Vote, WebhookEndpoint, Workbook
from burden_tracker.queries.admin import settings_values
from burden_tracker.services.commons import import_cards
from burden_tracker.services.invites import issue_invite
from burden_tracker.services.passwords import issue_reset
from burden_tracker.webhook_messages import new_secret
from tests.support.factories import make_card, make_department, make_nomination, make_user
from tests.support.routes import MATRIX, ROLE_SETS
from tests.support.web import HTMX, PASSWORD, csrf_token, sign_in

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))  # random examples per test, after the nastiest
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large, HealthCheck.large_base_example])

# The tables whose rows a refusal must leave exactly as they were (user_sessions is left out: reading a page
# may note when a session was last seen).
TABLES = ("nominations", "supporters", "comments", "votes", "events", "users", "user_roles", "departments",
          "categories", "board_notes", "settings", "hourly_rates", "notifications", "invites", "event_notes",
          "quarter_closings", "closed_rows", "restatements", "event_changes", "sign_on_roles", "sign_on_identities",
          "recovery_codes", "metric_names", "attachments", "follows", "board_sites", "myths", "myths_cited",
          "shared_cards", "commons_cards")

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '"><img src=x onerror=alert(1)>'
MEGABYTE = "x" * 1_000_000
NASTY = [
    SCRIPT, IMG, "javascript:alert(1)", "{{7*7}}", "{% print 7*7 %}", "${7*7}", "<svg onload=alert(1)>",
    "\x00", "a\x00b", "\x01\x07\x1b[31m\x7f", "\ud800", "x\udfffy", "\ufeff\u202e", "\U0001f600" * 50,
    "NaN", "nan", "inf", "-inf", "Infinity", "1e309", "-1e309", str(10**30), str(-(10**30)), str(2**63), "-1", "0",
    "-0", "1e-320", "0x10", "1_000", "١٢٣", "1,5", "", " ", "\r\n", "\t", "null", "None", "[]", "{}", "true",
    "' OR 1=1 --", "%", "_", "\\", "%00", "../../etc/passwd", "a" * 5001, "é" * 201,
]


class Missing:
    """The field is left out of the submission."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = Missing()
NO_CSRF = "no-csrf"
ALL = "*"

_characters = st.characters(categories=["L", "M", "N", "P", "S", "Z", "Cc", "Cf", "Cs", "Co"])
hostile_text = st.one_of(
    st.sampled_from(NASTY),
    st.text(_characters, max_size=40),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.floats().map(repr),
    st.builds(lambda a, b: a + b, st.sampled_from(NASTY), st.text(_characters, max_size=10)),
)
values = st.one_of(hostile_text, st.lists(hostile_text, min_size=2, max_size=3), st.just(MISSING))
# Keys: ALL spoils every field, an index spoils one field (modulo the number of fields), NO_CSRF drops the token.
plans = st.dictionaries(st.one_of(st.just(ALL), st.integers(0, 15), st.just(NO_CSRF)), values, min_size=1, max_size=3)
encodings = st.sampled_from(["urlencoded", "raw", "multipart"])

# The must-cover cases, tried on every endpoint before the random ones. Decision forms list `version` last, so
# that an index spoils a field the decision reads rather than making the page stale.
NASTIEST = [
    ({0: SCRIPT, 1: IMG}, "urlencoded", False),  # the rest valid: stored, then shown
    ({ALL: SCRIPT}, "urlencoded", False),
    ({ALL: IMG}, "urlencoded", True),
    ({0: "{{7*7}}", 1: "javascript:alert(1)", 2: "<svg onload=alert(1)>"}, "multipart", False),
    ({ALL: "a\x00b\x01\x1b"}, "urlencoded", False),
    ({ALL: "\ud800"}, "urlencoded", True),
    ({0: "x\udfff", 1: "\x00"}, "raw", False),
    ({ALL: "NaN", 0: "\ud83d"}, "multipart", True),
    ({0: "1e309", 1: "-inf", 2: "inf"}, "raw", True),
    ({ALL: str(10**30)}, "urlencoded", False),
    ({1: str(-(10**30)), 0: "-1"}, "urlencoded", True),
    ({ALL: MISSING}, "urlencoded", True),
    ({ALL: ["1", "2"]}, "urlencoded", False),
    ({ALL: "", 0: "x" * 60_000}, "multipart", False),  # past the longest pattern SQLite's LIKE takes
    ({NO_CSRF: MISSING, ALL: SCRIPT}, "urlencoded", False),
]


def nastiest(endpoints):
    """Every endpoint gets every case, in the order written (hypothesis runs the last decorator applied first)."""

    def add_examples(test):
        for endpoint in reversed(endpoints):
            for plan, encoding, htmx in reversed(NASTIEST):
                test = example(endpoint=endpoint, plan=plan, encoding=encoding, htmx=htmx)(test)
        return test

    return add_examples


# The world every example acts on.


@dataclass
class World:
    app: object
    engine: object
    ids: dict[str, int]
    emails: dict[str, str]
    invite_token: str
    reset_token: str
    settings: dict[str, str]
    clients: dict[str, tuple] = field(default_factory=dict)
    rows: dict | None = None  # the rows as they stand, when known

    def client(self, role: str):
        """A client signed in with the role (or not signed in, for "anonymous") and its CSRF token."""
        if role not in self.clients:
            client = self.app.test_client()
            if role != "anonymous":
                assert sign_in(client, self.emails[role]).status_code == 302, f"{role} could not sign in"
            self.clients[role] = (client, csrf_token(client, "/login"))
        return self.clients[role]

    def scalar(self, sql: str, **params):
        """One value read from the database, in a transaction that holds no lock the app may need."""
        with self.engine.execution_options(sqlite_begin="DEFERRED").connect() as connection:
            return connection.scalar(text(sql), params)

    def version(self, name: str) -> str:
        """The version of the nomination as its page would carry it now."""
        return str(self.scalar("SELECT version FROM nominations WHERE id = :id", id=self.ids[name]))

    def url(self, endpoint: str, **args) -> str:
        with self.app.test_request_context():
            return url_for(endpoint, **args)


@pytest.fixture
def app(engine, database_url, identity_provider, tmp_path):
    """The app with single sign-on on, through the test provider, so that its pages are fuzzed as they are served."""
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "a key for tests only",
                      "ATTACHMENTS_DIR": str(tmp_path / "attachments"), **identity_provider.app_settings()})
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def world(app, engine, session):
    surgery = make_department(session, "Surgery")
    spare = make_department(session, "Spare department")
    people = {role: make_user(session, *ROLE_SETS[role], can_sign_in=True) for role in ROLE_SETS}
    colleague = make_user(session, Role.BOARD)
    submitter, victim, invited = make_user(session), make_user(session), make_user(session)
    # Each decision acts on a nomination of its own, so that one accepted decision leaves the others' to try.
    nominations = {name: make_nomination(session, submitter=submitter, title=f"Fall risk score charted, {name}")
                   for name in ("open", "to_evaluate", "to_reject", "to_duplicate")}
    nominations["other"] = make_nomination(session, submitter=submitter, title="Sepsis screening alert fires twice")
    nominations["own"] = make_nomination(session, submitter=people["staff"], title="My own burden, to withdraw")
    nominations["to_edit"] = make_nomination(session, submitter=people["staff"], title="My own burden, to edit")
    nominations["retired"] = make_nomination(session, submitter=submitter, state=State.RETIRED,
                                             retired_on=date(2026, 3, 1), title="A retired burden, to share")
    for name in ("evaluated", "to_retire", "to_reopen"):
        nominations[name] = make_nomination(session, submitter=submitter, state=State.EVALUATED,
                                            title=f"Evaluated burden whose vote passed, {name}")
        session.add_all([Vote(nomination_id=nominations[name].id, voter_id=voter.id, choice=VoteChoice.APPROVE)
                         for voter in (people["board"], colleague)])
    open_nomination = nominations["open"]
    notice = Notification(user_id=people["staff"].id, nomination_id=nominations["own"].id,
                          message="Something happened.")
    session.add(notice)
    staff_comment = Comment(nomination_id=open_nomination.id, author_id=people["staff"].id, body="Same here.")
    session.add(staff_comment)
    # Rows only: the files themselves are not read by the forms fuzzed here.
    files = {name: Attachment(nomination_id=open_nomination.id, uploader_id=people["staff"].id, file_name=f"{name}.png",
                              media_type="image/png", size=96, sha256=name.ljust(64, "0"))
             for name in ("attachment", "own_attachment")}
    session.add_all(files.values())
    # Told of closed quarters only, and never sent here: no worker runs the queue in these tests.
    webhook = WebhookEndpoint(name="Executives' channel", url="https://hooks.hospital.test/q", events="quarter.closed",
                              format=WebhookFormat.TEAMS, secret=new_secret())
    session.add(webhook)
    workbook = Workbook(quarter="2026-Q1", state=WorkbookState.WRITING, rows_written=4_000)  # one for every reader
    session.add(workbook)
    site = Site(name="Queen's Medical Center – West O‘ahu")
    session.add(site)
    myths = {name: Myth(belief=f"Verbal orders are banned, {name}", actually="No federal rule bans them.",
                        citation="42 CFR 482.24(c)", source_url="https://www.cms.gov/", reviewed_on=date(2026, 12, 1),
                        published=name == "myth") for name in ("myth", "myth_draft", "myth_to_discard")}
    session.add_all(myths.values())
    card = make_card(session, "Fall risk score charted at every shift", organization="Valley Health")
    token = issue_invite(session=session, user_id=invited.id, issued_by_id=people["admin"].id)
    session.commit()
    _, reset_token = issue_reset(session=session, email=make_user(session, can_sign_in=True).email,
                                 passwords_for_all=True)
    ids = {name: nomination.id for name, nomination in nominations.items()} | {
        "spare": spare.id, "victim": victim.id, "board": people["board"].id, "colleague": colleague.id,
        "notice": notice.id, "department": open_nomination.department_id, "surgery": surgery.id,
        "category": open_nomination.category_id, "comment": staff_comment.id, "webhook": webhook.id,
        "workbook": workbook.id, "site": site.id, "card": card.id, **{name: myth.id for name, myth in myths.items()},
        **{name: attachment.id for name, attachment in files.items()}}
    world = World(app=app, engine=engine, ids=ids, emails={role: user.email for role, user in people.items()},
                  invite_token=token, reset_token=reset_token, settings=settings_values(session=session))
    session.rollback()  # on SQLite an open transaction would hold the lock the app needs
    return world


def snapshot(world: World) -> dict[str, list]:
    """Every row of the tables a refusal must not touch."""
    with world.engine.execution_options(sqlite_begin="DEFERRED").connect() as connection:
        return {table: [tuple(row) for row in connection.execute(text(f"SELECT * FROM {table} ORDER BY 1, 2"))]
                for table in TABLES}


# The forms: where each is posted and a valid submission each example starts from. Who posts it: the first role
# the authorization matrix lets in (nobody signed in for the open pages).


@dataclass(frozen=True)
class Endpoint:
    args: Callable[[World], dict] = lambda w: {}
    values: Callable[[World], dict] = lambda w: {}


NOMINATION = {
    "title": "Pain score charted twice", "description": "Nurses chart the same pain score in two rows.",
    "category": "documentation", "department": "Surgery", "affected_role": "nurse", "minutes_per_occurrence": "0.4",
    "occurrences_per_week": "36", "clinicians_affected": "900", "requirement_source": "internal policy",
    "suggested_change": "Drop the second row.", "anonymous": "y",
}


MYTH = {"belief": "Pain must be scored at every visit.", "actually": "No federal rule asks for it at every visit.",
        "citation": "The Joint Commission PC.01.02.07", "source_url": "https://www.jointcommission.org/",
        "source_date": "2017-03-31", "keywords": "pain score"}


def _open(w):
    return {"nomination_id": w.ids["open"]}


def _attachment(w, name: str) -> dict:
    return {"nomination_id": w.ids["open"], "attachment_id": w.ids[name]}


def _evaluated(w):
    return {"nomination_id": w.ids["evaluated"]}


def _deciding(name: str) -> Endpoint:
    """A board decision on its own nomination, `version` last (see NASTIEST), with these valid values."""

    def values(w):
        return {**DECISIONS[name](w), "version": w.version(name)}

    return Endpoint(lambda w: {"nomination_id": w.ids[name]}, values)


DECISIONS = {
    "to_evaluate": lambda w: {"minutes_per_occurrence": "1", "occurrences_per_week": "2", "clinicians_affected": "10",
                              "confirmed_source": "payer", "note": "Checked with the payer.",
                              "owner_id": str(w.ids["board"]), "measured_metric": "WOW8",
                              "myths": [str(w.ids["myth"])]},
    "to_retire": lambda w: {"retired_on": "2026-07-01", "outcome": "removed", "note": "The second row is gone.",
                            "measured_metric": "Flowsheet time"},
    "to_reject": lambda w: {"note": "The law requires it."},
    "to_reopen": lambda w: {"note": "Which unit?"},
    "to_duplicate": lambda w: {"q": "sepsis", "duplicate_of": str(w.ids["other"])},
}


def _spare(w):
    return {"kind": "departments", "item_id": w.ids["spare"]}


POSTS = {
    "auth.login": Endpoint(values=lambda w: {"email": w.emails["staff"], "password": PASSWORD}),
    "nominations.comment": Endpoint(_open, lambda w: {"body": "Same on our ward."}),
    "nominations.follow": Endpoint(_open, lambda w: {"following": "yes"}),
    "nominations.edit_comment": Endpoint(lambda w: {"nomination_id": w.ids["open"], "comment_id": w.ids["comment"]},
                                         lambda w: {"body": "Same on our ward, twice a shift."}),
    "nominations.hide_comment": Endpoint(lambda w: {"nomination_id": w.ids["open"], "comment_id": w.ids["comment"]},
                                         lambda w: {"reason": "It names a patient."}),
    "nominations.support": Endpoint(_open, lambda w: {"occurrences_per_week": "3"}),
    # Its file is sent in tests/integration/views/test_attachments.py: here it is the form around it.
    "attachments.add": Endpoint(_open),
    "attachments.release": Endpoint(lambda w: _attachment(w, "attachment")),
    "attachments.remove": Endpoint(lambda w: _attachment(w, "own_attachment")),
    "nominations.withdraw": Endpoint(lambda w: {"nomination_id": w.ids["own"]},
                                     lambda w: {"version": w.version("own")}),
    "nominate.new": Endpoint(values=lambda w: NOMINATION | {"from_card": str(w.ids["card"])}),
    "nominate.edit": Endpoint(lambda w: {"nomination_id": w.ids["to_edit"]},
                              lambda w: {**{name: value for name, value in NOMINATION.items() if name != "anonymous"},
                                         "title": "My own burden, edited", "version": w.version("to_edit")}),
    "nominate.support_similar": Endpoint(
        lambda w: {"nomination_id": w.ids["other"]},
        lambda w: {f"similar-{w.ids['other']}-occurrences_per_week": "2"}),
    "me.mark_read": Endpoint(values=lambda w: {"up_to": str(w.ids["notice"])}),
    "me.settings": Endpoint(values=lambda w: {"notice_email": "daily digest"}),
    "me.end_session": Endpoint(values=lambda w: {"session": "0" * 64}),
    "decide.evaluate": _deciding("to_evaluate"),
    "decide.retire": _deciding("to_retire"),
    "decide.reject": _deciding("to_reject"),
    "decide.reopen": _deciding("to_reopen"),
    "decide.duplicate": _deciding("to_duplicate"),
    "decide.vote": Endpoint(_evaluated, lambda w: {"choice": "reject"}),
    "board.schedule": Endpoint(values=lambda w: {"chosen": [str(w.ids["open"]), str(w.ids["other"])],
                                                 "action": "due", "due_on": "2099-01-15", "state": "all"}),
    "decide.board_note": Endpoint(_open, lambda w: {"body": "Ask pharmacy first."}),
    "decide.redact_text": Endpoint(_open, lambda w: {"text": "suggested_change"}),
    "decide.revise": Endpoint(_open, lambda w: {
        "minutes_per_occurrence": "2", "occurrences_per_week": "5", "clinicians_affected": "40",
        "department_id": str(w.ids["surgery"]), "category_id": str(w.ids["category"]), "affected_role": "physician",
        "requirement_source": "payer", "reason": "Timed on the ward.", "version": w.version("open")}),
    "admin.new_user": Endpoint(values=lambda w: {"email": "new.person@example.org", "name": "New Person",
                                                 "roles": ["staff", "board"]}),
    "admin.change_roles": Endpoint(lambda w: {"user_id": w.ids["victim"]},
                                   lambda w: {"roles": ["staff", "board"], "sites": [str(w.ids["site"])]}),
    "myths_admin.new": Endpoint(values=lambda w: dict(MYTH)),
    "myths_admin.edit": Endpoint(lambda w: {"myth_id": w.ids["myth"]}, lambda w: dict(MYTH)),
    "myths_admin.publish": Endpoint(lambda w: {"myth_id": w.ids["myth_draft"]}),
    "myths_admin.discard": Endpoint(lambda w: {"myth_id": w.ids["myth_to_discard"]}),
    "commons_admin.share_as": Endpoint(values=lambda w: {"share_as": "Queen's Health System"}),
    "commons_admin.share": Endpoint(lambda w: {"nomination_id": w.ids["retired"]},
                                    lambda w: {"ehr_vendor": "Epic", "ehr_module": "ClinDoc", "build_type": "flowsheet",
                                               "citation": "42 CFR 482.23"}),
    "commons_admin.stop": Endpoint(lambda w: {"nomination_id": w.ids["retired"]}),
    # Its file is sent in tests/integration/views/test_commons_admin.py: here it is the form around it.
    "commons_admin.upload": Endpoint(),
    "admin.user_action": Endpoint(lambda w: {"user_id": w.ids["victim"], "action": "invite"}),
    "admin.named": Endpoint(lambda w: {"kind": "categories"}, lambda w: {"name": "Radiology orders"}),
    "admin.rename": Endpoint(_spare, lambda w: {f"departments-{w.ids['spare']}-name": "Radiology"}),
    "admin.set_named_active": Endpoint(lambda w: {**_spare(w), "action": "deactivate"}),
    "admin.move_department": Endpoint(lambda w: {"item_id": w.ids["spare"]}, lambda w: {"site_id": str(w.ids["site"])}),
    "admin.settings": Endpoint(values=lambda w: dict(w.settings)),
    "sign_on_admin.mappings": Endpoint(values=lambda w: {"claim_value": "7d1c-board-group", "role": "board"}),
    "sign_on_admin.unmap": Endpoint(values=lambda w: {"claim_value": "a-mapped-group", "role": "executive"}),
    "metrics_admin.index": Endpoint(values=lambda w: {"name": "Time Outside Scheduled Hours (min)", "metric": "WOW8"}),
    "metrics_admin.remove_name": Endpoint(values=lambda w: {"name": "BPA Firings"}),
    # Its file is sent in tests/integration/views/test_metrics_admin.py: here it is the form around it.
    "metrics_admin.upload": Endpoint(values=lambda w: {"dry_run": "y"}),
    "metrics_admin.add_department_name": Endpoint(values=lambda w: {"department_name": "ED Main",
                                                                    "department_id": str(w.ids["department"])}),
    "metrics_admin.remove_department_name": Endpoint(values=lambda w: {"name": "ED Main"}),
    "jobs_admin.clear": Endpoint(),
    "webhooks_admin.add": Endpoint(values=lambda w: {"name": "Wins page", "url": "https://hooks.hospital.test/x",
                                                     "events": ["nomination.moved"], "format": "teams"}),
    "tokens.create": Endpoint(values=lambda w: {"name": "Intranet wins page", "scope": "read", "days": "90"}),
    "dashboard.close": Endpoint(lambda w: {"quarter": "2026-Q1"}),
    "dashboard.reopen": Endpoint(lambda w: {"quarter": "2026-Q1"}, lambda w: {"reason": "A retirement was misdated."}),
    "invite.accept": Endpoint(lambda w: {"token": w.invite_token},
                              lambda w: {"password": "a brand new password", "confirm": "a brand new password"}),
    "passwords.change": Endpoint(values=lambda w: {"current": PASSWORD, "password": "a brand new password",
                                                   "confirm": "a brand new password"}),
    "passwords.forgot": Endpoint(values=lambda w: {"email": w.emails["staff"]}),
    "second_factor.code": Endpoint(values=lambda w: {"code": "123456"}),
    "reauth.confirm": Endpoint(values=lambda w: {"password": PASSWORD, "code": ""}),
    "second_factor.enrol": Endpoint(values=lambda w: {"code": "123456"}),
    "second_factor.mine": Endpoint(values=lambda w: {"code": "123456"}),
    "second_factor.turn_off": Endpoint(values=lambda w: {"code": "123456"}),
    "passwords.reset": Endpoint(lambda w: {"token": w.reset_token},
                                lambda w: {"password": "a brand new password", "confirm": "a brand new password"}),
}
# Posted by hand elsewhere, never fuzzed here, and why.
NOT_FUZZED = {"auth.logout": "takes no fields; signing out would end the session the other examples use",
              "me.end_other_sessions": "takes no fields; tested in integration/views/test_me_sessions.py",
              "nominations.take_back_support": "takes no fields; tested in integration/views/test_nominations.py",
              "second_factor.new_codes": "takes no fields; tested in integration/views/test_second_factor.py",
              "tokens.renew": "takes no fields; tested in integration/views/test_tokens.py",
              "tokens.revoke": "takes no fields; tested in integration/views/test_tokens.py",
              **{endpoint: "takes no fields; tested in integration/views/test_webhooks_admin.py"
                 for endpoint in ("webhooks_admin.pause", "webhooks_admin.resume", "webhooks_admin.remove")},
              **{endpoint: "JSON with a token, not a form: views/test_api_contract.py fuzzes it from its document"
                 for endpoint in ("api.create_nomination", "api.add_support", "api.add_comment", "api.evaluate",
                                  "api.import_ehr_metrics",
                                  "api.reopen", "api.retire", "api.reject", "api.duplicate", "api.vote", "api.revise")}}

# Pages and fragments that read the query string, with the values a person might send.
PARAMETERS = {
    "auth.login": Endpoint(values=lambda w: {"next": "/nominations", "signed_out": "yes"}),
    "browse.index": Endpoint(values=lambda w: {
        "state": "proposed", "department": str(w.ids["department"]), "category": str(w.ids["category"]),
        "source": "internal policy", "q": "pain", "sort": "hours", "page": "1"}),
    "browse.download": Endpoint(lambda w: {"file_type": "csv"}, lambda w: {
        "state": "proposed", "department": str(w.ids["department"]), "q": "pain", "sort": "hours"}),
    "nominate.estimate": Endpoint(values=lambda w: {"minutes_per_occurrence": "2", "occurrences_per_week": "5",
                                                    "clinicians_affected": "10"}),
    "nominate.similar": Endpoint(values=lambda w: {"title": "sepsis alert", "occurrences_per_week": "2"}),
    "nominate.mentions": Endpoint(values=lambda w: {"q": "Pers"}),
    "board.queue": Endpoint(values=lambda w: {
        "state": "all", "department": str(w.ids["department"]), "category": str(w.ids["category"]),
        "source": "payer", "owner": "none", "age": "overdue", "sort": "age", "page": "1"}),
    "board.download": Endpoint(lambda w: {"file_type": "xlsx"}, lambda w: {
        "state": "all", "department": str(w.ids["department"]), "owner": "none", "age": "overdue", "sort": "age"}),
    "decide.candidates": Endpoint(_open, lambda w: {"q": "sepsis"}),
    "wins.index": Endpoint(values=lambda w: {"page": "1"}),
    "myths.index": Endpoint(values=lambda w: {"q": "verbal"}),
    "commons.index": Endpoint(values=lambda w: {"q": "fall risk", "vendor": "Epic", "outcome": "removed",
                                                "role": "nurse", "source": "payer", "page": "1"}),
    "nominate.new": Endpoint(values=lambda w: {"card": str(w.ids["card"])}),
    "dashboard.index": Endpoint(values=lambda w: {"quarter": "2026-Q3", "site": str(w.ids["site"])}),
    "reports.workbook": Endpoint(lambda w: {"quarter": "2026-Q1"}, lambda w: {"site": str(w.ids["site"])}),
    "admin.users": Endpoint(values=lambda w: {"q": "person", "page": "1"}),
    "admin.audit": Endpoint(values=lambda w: {"person": "person", "kind": "sign-in ok", "since": "2026-01-01",
                                              "until": "2026-12-31", "page": "1"}),
    "sso.start": Endpoint(values=lambda w: {"next": "/nominations"}),
    "second_factor.shown_codes": Endpoint(values=lambda w: {"next": "/nominations"}),
    "reauth.confirm": Endpoint(values=lambda w: {"next": "/admin"}),
    "sso.callback": Endpoint(values=lambda w: {"code": "a-code", "state": "a-state", "error": "access_denied",
                                               "error_description": "The person declined."}),
}
# Pages and fragments that read no query string: asked for with junk in it, and with hostile path arguments.
PAGES = {
    "static": Endpoint(lambda w: {"filename": "css/app.css"}),
    "health.healthz": Endpoint(),
    "index": Endpoint(),
    "nominations.show": Endpoint(_open),
    "attachments.file": Endpoint(lambda w: _attachment(w, "attachment")),
    "nominate.edit": Endpoint(lambda w: {"nomination_id": w.ids["to_edit"]}),
    "me.nominations": Endpoint(),
    "me.notices": Endpoint(),
    "me.sessions": Endpoint(),
    "me.settings": Endpoint(),
    "decide.tally": Endpoint(_evaluated),
    "reports.under_way": Endpoint(lambda w: {"workbook_id": w.ids["workbook"]}),
    "reports.kept_file": Endpoint(lambda w: {"workbook_id": w.ids["workbook"]}),
    "invite.accept": Endpoint(lambda w: {"token": w.invite_token}),
    "passwords.reset": Endpoint(lambda w: {"token": w.reset_token}),
    "passwords.forgot": Endpoint(),
    "passwords.change": Endpoint(),
    "second_factor.code": Endpoint(),
    "second_factor.enrol": Endpoint(),
    "second_factor.mine": Endpoint(),
    "admin.index": Endpoint(),
    "admin.user": Endpoint(lambda w: {"user_id": w.ids["victim"]}),
    "admin.new_user": Endpoint(),
    "admin.named": Endpoint(lambda w: {"kind": "departments"}),
    "admin.named_item": Endpoint(_spare),
    "admin.rename": Endpoint(_spare),
    "admin.settings": Endpoint(),
    "sign_on_admin.mappings": Endpoint(),
    "metrics_admin.index": Endpoint(),
    "metrics_admin.template": Endpoint(),
    "jobs_admin.index": Endpoint(),
    "myths.show": Endpoint(lambda w: {"myth_id": w.ids["myth"]}),
    "myths_admin.index": Endpoint(),
    "myths_admin.new": Endpoint(),
    "myths_admin.edit": Endpoint(lambda w: {"myth_id": w.ids["myth"]}),
    "commons_admin.index": Endpoint(),
    "commons.show": Endpoint(lambda w: {"card_id": w.ids["card"]}),
    "webhooks_admin.index": Endpoint(),
    "webhooks_admin.log": Endpoint(lambda w: {"endpoint_id": w.ids["webhook"]}),
    "tokens.index": Endpoint(),
    "api.openapi": Endpoint(),
    "api.docs": Endpoint(),
    # A browser's cookie is answered 401 here: tests/integration/views/test_api.py sends tokens and bad values.
    "api.list_of_nominations": Endpoint(),
    "api.one_nomination": Endpoint(_open),
    "api.comments": Endpoint(_open),
    "api.quarter_figures": Endpoint(lambda w: {"quarter": "2026-Q1"}),
    "api.quarter_workbook": Endpoint(lambda w: {"quarter": "2026-Q1"}),
}
ROLE_ORDER = ("staff", "board", "admin", "executive")


def role_for(endpoint: str, method: str) -> str:
    allowed = MATRIX[(endpoint, method)]
    return "anonymous" if "anonymous" in allowed else next(role for role in ROLE_ORDER if role in allowed)


# Sending spoiled submissions.


def spoiled(base: dict, plan: dict) -> tuple[list[tuple[str, str]], bool]:
    """The (name, value) pairs the plan makes of a valid submission, and whether the CSRF token goes too."""
    chosen = dict(base)
    names = list(base) or ["extra"]
    for key, value in sorted(plan.items(), key=lambda item: item[0] != ALL):
        if key == NO_CSRF:
            continue
        for name in names if key == ALL else [names[key % len(names)]]:
            chosen[name] = value
    pairs = []
    for name, value in chosen.items():
        if value is not MISSING:
            pairs.extend((name, item) for item in (value if isinstance(value, list) else [value]))
    return pairs, NO_CSRF not in plan


def _utf8(value: str) -> bytes:
    """What a client sends for the text; a lone surrogate becomes its (invalid) UTF-8 bytes, e.g. ED A0 80."""
    return value.encode("utf-8", "surrogatepass")


def _raw(value: str) -> bytes:
    return _raw_bytes(_utf8(value))


def _raw_bytes(value: bytes) -> bytes:
    """The bytes as they are: only what would cut the value short is escaped."""
    return value.replace(b"%", b"%25").replace(b"&", b"%26").replace(b"+", b"%2B").replace(b"#", b"%23")


def _percent(value: str) -> bytes:
    return _percent_bytes(_utf8(value))


def _percent_bytes(value: bytes) -> bytes:
    return quote_from_bytes(value, safe="").encode()


def _pairs(pairs: list[tuple[str, str]], encoding: str) -> bytes:
    encode = _raw if encoding == "raw" else _percent
    return b"&".join(quote(name, safe="").encode() + b"=" + encode(value) for name, value in pairs)


def encoded(pairs: list[tuple[str, str]], encoding: str) -> tuple[bytes, str]:
    if encoding == "multipart":
        boundary = "fuzz-7MA4YWxkTrZu0gW"
        body = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
                        + _utf8(value) + b"\r\n" for name, value in pairs) + f"--{boundary}--\r\n".encode()
        return body, f"multipart/form-data; boundary={boundary}"
    return _pairs(pairs, encoding), "application/x-www-form-urlencoded"


def query_string(pairs: list[tuple[str, str]], encoding: str) -> str:
    """As the WSGI environ holds it: the bytes, one character each."""
    return _pairs(pairs, "raw" if encoding == "raw" else "urlencoded").decode("latin-1")


def headers(csrf: str | None, htmx: bool) -> dict:
    sent = {"X-CSRFToken": csrf} if csrf else {}
    return sent | (HTMX if htmx else {})


def post(world: World, endpoint: str, pairs, *, encoding="urlencoded", htmx=False, with_token=True, role=None,
         args=None):
    client, csrf = world.client(role or role_for(endpoint, "POST"))
    body, content_type = encoded([*pairs, *([("csrf_token", csrf)] if with_token else [])], encoding)
    url = world.url(endpoint, **(POSTS[endpoint].args(world) if args is None else args))
    return client.post(url, data=body, content_type=content_type, headers=headers(csrf if with_token else None, htmx))


# What every answer must be.


class _Markup(HTMLParser):
    """The tags and attributes a browser would build from the page: none of them may come from user text."""

    URL_ATTRIBUTES = {"href", "src", "action", "formaction", "hx-get", "hx-post", "data", "xlink:href"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script" and not (dict(attrs).get("src") or "").startswith("/static/js/"):
            self.problems.append(f"a script that is not one of our files: {attrs}")
        if tag in ("iframe", "object", "embed", "base"):
            self.problems.append(f"a {tag} tag")
        for name, value in attrs:
            if (name.startswith("on") or name.startswith("hx-on")) and (name, value) != ("onfocus", "this.select()"):
                self.problems.append(f"an event handler: <{tag} {name}={value!r}>")
            if name in self.URL_ATTRIBUTES and value and re.match(r"\s*(javascript:|vbscript:|data:text/html)", value,
                                                                 re.I):
                self.problems.append(f"a script address: <{tag} {name}={value!r}>")


def markup_problems(html: str) -> list[str]:
    parser = _Markup()
    parser.feed(html)
    parser.close()
    return parser.problems


def check(response, what: str) -> str:
    """Never a 500, and no page or fragment where user text became markup. Returns the page."""
    try:
        assert response.status_code < 500, f"{what}: {response.status_code}"
        if response.mimetype != "text/html":
            return ""
        page = response.get_data(as_text=True)
        assert markup_problems(page) == [], what
        return page
    finally:
        response.close()


def rows_unchanged(world: World, status: int) -> None:
    """A refusal leaves every row as it was; after anything else the rows are read afresh for the next example."""
    if status >= 400:
        assert snapshot(world) == world.rows, f"refused with {status}, but something was stored"
    else:
        world.rows = None


# The URL map decides what is fuzzed.


def routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def test_every_route_is_fuzzed(app):
    posts = {rule.endpoint for rule, method in routes(app) if method == "POST"}
    gets = {rule.endpoint for rule, method in routes(app) if method == "GET"}
    assert posts - set(POSTS) - set(NOT_FUZZED) == set(), "add these forms to POSTS"
    assert gets - set(PARAMETERS) - set(PAGES) == set(), "add these pages to PARAMETERS or PAGES"
    assert set(POSTS) | set(NOT_FUZZED) == posts and set(PARAMETERS) | set(PAGES) == gets, "routes that are gone"


# Fuzzing.


def fuzz_forms_of(role: str, examples: int = EXAMPLES):
    """The fuzz test for the forms this role posts: one test per role, so that the runs spread over workers."""
    endpoints = sorted(endpoint for endpoint in POSTS if role_for(endpoint, "POST") == role)

    @settings(FUZZ, max_examples=examples)
    @given(endpoint=st.sampled_from(endpoints), plan=plans, encoding=encodings, htmx=st.booleans())
    @nastiest(endpoints)
    def test(world, endpoint, plan, encoding, htmx):
        pairs, with_token = spoiled(POSTS[endpoint].values(world), plan)
        world.rows = world.rows or snapshot(world)
        response = post(world, endpoint, pairs, encoding=encoding, htmx=htmx, with_token=with_token)
        status, where = response.status_code, response.headers.get("Location", "")
        check(response, f"POST {endpoint} {plan!r} as {encoding}")
        rows_unchanged(world, status)
        if status in (302, 303) and where.startswith("/"):  # accepted: the page that shows what was stored
            client, _csrf = world.client(role_for(endpoint, "POST"))
            check(client.get(where), f"GET {where} after POST {endpoint} {plan!r}")

    test.__doc__ = f"A spoiled form {role} may post never fails, and a refused one stores nothing."
    return test


test_a_spoiled_form_never_fails_and_a_refused_one_stores_nothing_staff = fuzz_forms_of("staff")
test_a_spoiled_form_never_fails_and_a_refused_one_stores_nothing_board = fuzz_forms_of("board")
test_a_spoiled_form_never_fails_and_a_refused_one_stores_nothing_admin = fuzz_forms_of("admin")
# Signing in takes an argon2 hash each time, deliberately slow: fewer random examples here.
test_a_spoiled_form_never_fails_and_a_refused_one_stores_nothing_signed_out = fuzz_forms_of("anonymous", EXAMPLES // 3)


def test_every_form_has_a_fuzz_test():
    assert {role_for(endpoint, "POST") for endpoint in POSTS} == {"staff", "board", "admin", "anonymous"}


@FUZZ
@given(endpoint=st.sampled_from(sorted(PARAMETERS)), plan=plans, encoding=encodings, htmx=st.booleans())
@nastiest(sorted(PARAMETERS))
def test_a_page_asked_with_spoiled_parameters_answers_and_changes_nothing(world, endpoint, plan, encoding, htmx):
    client, _csrf = world.client(role_for(endpoint, "GET"))
    spec = PARAMETERS[endpoint]
    pairs, _ = spoiled(spec.values(world), plan)
    world.rows = world.rows or snapshot(world)
    response = client.get(world.url(endpoint, **spec.args(world)), query_string=query_string(pairs, encoding),
                          headers=headers(None, htmx))
    check(response, f"GET {endpoint} {plan!r} as {encoding}")
    assert snapshot(world) == world.rows, "a GET changed something"


HUGE_IDS = [str(10**30), str(2**31)]
HOSTILE_SEGMENTS = [SCRIPT, "{{7*7}}", "\x00", "\ud800", "..", "a" * 5000, "99999-Q1"]


def address(rule, args: dict) -> str:
    """The rule's path with these arguments, whatever they are: url_for would refuse the hostile ones."""
    return re.sub(r"<(?:[^<>]*:)?(\w+)>", lambda match: quote_from_bytes(_utf8(str(args[match[1]])), safe=""),
                  rule.rule)


def test_every_page_ignores_junk_and_hostile_addresses(world):
    """Pages that read no query string ignore one full of hostile values; an id too large for the database, or a
    hostile path segment, is no such page (404), never a 500. Forms are posted to such addresses too."""
    junk = [(f"junk{i}", value) for i, value in enumerate(NASTY)]
    world.rows = snapshot(world)
    for endpoint, spec in PAGES.items():
        client, _csrf = world.client(role_for(endpoint, "GET"))
        for encoding, htmx in [("urlencoded", False), ("raw", True)]:
            response = client.get(world.url(endpoint, **spec.args(world)), query_string=query_string(junk, encoding),
                                  headers=headers(None, htmx))
            check(response, f"GET {endpoint} with junk as {encoding}")
    for rule, method in routes(world.app):
        if not rule.arguments or rule.endpoint in NOT_FUZZED or method not in ("GET", "POST"):
            continue  # DELETE is the API's alone, asked with a token in integration/views/test_api_comments.py
        client, csrf = world.client(role_for(rule.endpoint, method))
        spec = (POSTS if method == "POST" else PARAMETERS if rule.endpoint in PARAMETERS else PAGES)[rule.endpoint]
        args = spec.args(world)
        for name in rule.arguments:
            hostile = HUGE_IDS if f"<int:{name}>" in rule.rule else HOSTILE_SEGMENTS
            for value in hostile:
                path = address(rule, {**args, name: value})
                world.rows = world.rows or snapshot(world)
                response = client.open(path, method=method, data={"csrf_token": csrf}, headers=headers(csrf, False))
                status = response.status_code
                check(response, f"{method} {path}")
                assert 300 <= status < 500, (method, path, status)  # no such page (or, signed out, to /login)
                rows_unchanged(world, status)


# Too much text.


TEXT_FIELDS = [
    ("nominate.new", "title"), ("nominate.new", "description"), ("nominate.new", "suggested_change"),
    ("nominations.comment", "body"), ("nominations.support", "occurrences_per_week"),
    ("decide.evaluate", "note"), ("decide.evaluate", "minutes_per_occurrence"), ("decide.reject", "note"),
    ("decide.reopen", "note"), ("decide.retire", "note"), ("decide.board_note", "body"),
    ("admin.new_user", "name"), ("admin.new_user", "email"), ("admin.named", "name"),
    ("admin.settings", "quorum_fraction"), ("auth.login", "email"), ("auth.login", "password"),
    ("invite.accept", "password"),
]


def test_a_megabyte_in_any_text_field_is_refused_beside_it_and_stores_nothing(world):
    """1 MB is under the 2 MB a request may carry: the form judges it, says why, and stores nothing."""
    world.rows = snapshot(world)
    for endpoint, name in TEXT_FIELDS:
        pairs, _ = spoiled(POSTS[endpoint].values(world), {})
        pairs = [(key, MEGABYTE if key == name else value) for key, value in pairs]
        response = post(world, endpoint, pairs)
        page = check(response, f"1 MB in {endpoint} {name}")
        assert response.status_code == 422, (endpoint, name, response.status_code)
        assert re.search(r'class="field-error"|role="alert"', page), f"no message for {endpoint} {name}"
        rows_unchanged(world, response.status_code)


def test_a_body_over_the_limit_is_refused_as_too_large_and_stores_nothing(world):
    limit = world.app.config["MAX_CONTENT_LENGTH"]
    world.rows = snapshot(world)
    for endpoint in POSTS:
        for encoding in ("urlencoded", "multipart"):
            pairs, _ = spoiled(POSTS[endpoint].values(world), {})
            # One byte over: a form that takes a file takes a larger body, but no larger text.
            response = post(world, endpoint, [*pairs, ("padding", "x" * (limit + 1))], encoding=encoding)
            page = check(response, f"{limit} bytes to {endpoint}")
            assert response.status_code == 413, (endpoint, encoding, response.status_code)
            assert "too large" in page
            rows_unchanged(world, 413)


# Shapes no browser sends for these forms: a field as a file, a field sent twice, bytes that are not UTF-8, the form as
# JSON. Each is refused whole as a request that cannot be understood, before any form or service sees it.

BOUNDARY = "odd-7MA4YWxkTrZu0gW"
NOT_UTF8 = b"caf\xc3 \xff \xed\xa0\x80"  # a cut-off sequence, a byte UTF-8 never uses, an encoded surrogate
URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
NOT_UNDERSTOOD = (400, "This request could not be understood")


def _part(name: str, value: bytes, *, as_file: bool = False) -> bytes:
    file = '; filename="notes.txt"\r\nContent-Type: text/plain' if as_file else ""
    return f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"{file}\r\n\r\n'.encode() + value + b"\r\n"


def _multipart(parts: list[bytes]) -> tuple[bytes, str]:
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode(), MULTIPART


def _urlencoded(pairs: list[tuple[str, bytes]], encode=_percent_bytes) -> tuple[bytes, str]:
    return b"&".join(quote(name, safe="").encode() + b"=" + encode(value) for name, value in pairs), URLENCODED


def _as_file_part(pairs, name):
    return _multipart([_part(key, value, as_file=key == name) for key, value in pairs])


def _twice(pairs, name):
    """The valid value first, then another: a form that reads the first would accept it."""
    return _urlencoded([*pairs, (name, b"another " + dict(pairs)[name])])


def _not_utf8(pairs, name):
    return [(key, value + NOT_UTF8 if key == name else value) for key, value in pairs]


def _not_utf8_multipart(pairs, name):
    return _multipart([_part(key, value) for key, value in _not_utf8(pairs, name)])


def _json_number(pairs, name):
    """As JSON, which Flask-WTF reads as the form when no form came, with a number for this field."""
    return json.dumps({key: 7 if key == name else value.decode() for key, value in pairs}).encode(), "application/json"


ODD_SHAPES = {
    "as a file part": _as_file_part,
    "twice with different values": _twice,
    "not UTF-8, percent-encoded": lambda pairs, name: _urlencoded(_not_utf8(pairs, name)),
    "not UTF-8, raw bytes": lambda pairs, name: _urlencoded(_not_utf8(pairs, name), _raw_bytes),
    "not UTF-8, multipart": _not_utf8_multipart,
    "as a number in JSON": _json_number,
}


def oddly_sent(world: World, endpoint: str, shape: str, name: str):
    """The valid submission (CSRF token included) with one field sent in this shape."""
    client, csrf = world.client(role_for(endpoint, "POST"))
    pairs, _ = spoiled(POSTS[endpoint].values(world), {})
    pairs = [(key, _utf8(value)) for key, value in [*pairs, ("csrf_token", csrf)]]
    body, content_type = ODD_SHAPES[shape](pairs, name)
    url = world.url(endpoint, **POSTS[endpoint].args(world))
    return client.post(url, data=body, content_type=content_type, headers=headers(csrf, False))


def single_valued_fields(world: World, endpoint: str) -> list[str]:
    """Every field of the valid submission and the CSRF token; a list of checkboxes (roles) may send its name
    more than once, so it is not sent twice here."""
    values = POSTS[endpoint].values(world)
    return [*(name for name, value in values.items() if not isinstance(value, list)), "csrf_token"]


@pytest.mark.parametrize("shape", ODD_SHAPES)
def test_a_field_sent_in_a_shape_no_browser_sends_is_refused_as_not_understood_and_stores_nothing(world, shape):
    """Every field of every form, sign-in included, one at a time."""
    world.rows = snapshot(world)
    answers = {}
    for endpoint in POSTS:
        for name in single_valued_fields(world, endpoint):
            response = oddly_sent(world, endpoint, shape, name)
            heading = re.search(r"<h1>(.*?)</h1>", check(response, f"{endpoint} {name} {shape}"))
            answers[endpoint, name] = response.status_code, heading and heading[1]
            rows_unchanged(world, response.status_code)
            world.rows = world.rows or snapshot(world)
    wrong = [f"{endpoint} {name}: {status} {heading}" for (endpoint, name), (status, heading) in answers.items()
             if (status, heading) != NOT_UNDERSTOOD]
    assert not wrong, "\n".join(wrong)


def test_an_htmx_request_in_such_a_shape_gets_the_refusal_as_a_fragment(world):
    client, csrf = world.client("staff")
    body, content_type = _as_file_part([("body", b"Same on our ward."), ("csrf_token", csrf.encode())], "body")
    response = client.post(world.url("nominations.comment", **_open(world)), data=body, content_type=content_type,
                           headers=headers(csrf, True))
    page = check(response, "a file part, from htmx")
    assert response.status_code == 400
    assert "<h1>This request could not be understood</h1>" in page and "<html" not in page


@pytest.mark.parametrize("shape", ["urlencoded", "multipart"])
def test_text_in_utf8_is_stored_as_typed_however_a_browser_sends_the_form(world, shape):
    """Only bytes that are not UTF-8 are refused: a typed U+FFFD is a character like any other."""
    typed = "Größe, 痛み, \U0001f600 and a typed \ufffd"
    client, csrf = world.client("staff")
    pairs = [("body", typed.encode()), ("csrf_token", csrf.encode())]
    body, content_type = _urlencoded(pairs) if shape == "urlencoded" else _multipart([_part(*pair) for pair in pairs])
    response = client.post(world.url("nominations.comment", **_open(world)), data=body, content_type=content_type,
                           headers=headers(csrf, False))
    check(response, f"a comment in UTF-8, {shape}")
    assert response.status_code in (200, 303)
    assert world.scalar("SELECT body FROM comments ORDER BY id DESC LIMIT 1") == typed


# What was stored comes back escaped.


def test_stored_payloads_render_escaped_on_every_page_and_fragment(world):
    """Payloads stored through the forms show as text where they are shown; then every page and fragment, whole
    and as htmx, is opened with hostile values in its address too."""
    department = "<script>window.__pwned=2</script>"
    title = "<script>window.__pwned=1</script> {{7*7}}"
    card_title = "<script>window.__pwned=3</script> shared"
    with Session(world.engine) as own:  # as another health system's file brought it
        import_cards(session=own, text=json.dumps({
            "format": "burden-cards", "version": 1, "exported_at": "2026-12-07T10:00:00Z", "cards": [{
            "id": "urn:uuid:5f0c2c52-6a8e-4f59-9d4b-1d0f6c0e7a11", "title": card_title, "what_was_done": IMG,
            "what_changed": "<svg onload=alert(1)>", "category": "{{7*7}}", "affected_role": "nurse",
            "ehr": {"vendor": SCRIPT}, "requirement": {"source": "payer", "citation": IMG},
            "effect": {"estimated_hours_per_year": 12}, "organization": "<b>Valley</b>", "retired_on": "2026-03-01"}]}))
    card = world.ids["payload_card"] = world.scalar("SELECT id FROM commons_cards WHERE title = :t", t=card_title)
    for endpoint, values, args in [
        ("nominate.new", {**NOMINATION, "title": title, "description": IMG + " javascript:alert(1)",
                          "suggested_change": "<svg onload=alert(1)>", "anonymous": "", "from_card": str(card)},
         None),
        ("admin.rename", {f"departments-{world.ids['surgery']}-name": department},
         {"kind": "departments", "item_id": world.ids["surgery"]}),
        ("admin.rename", {f"categories-{world.ids['category']}-name": IMG},
         {"kind": "categories", "item_id": world.ids["category"]}),
        ("admin.named", {"name": "{{7*7}}"}, {"kind": "departments"}),
        ("admin.new_user", {"email": "xss@example.org", "name": SCRIPT, "roles": ["staff"]}, None),
        ("myths_admin.new", {"belief": f"{SCRIPT} is believed", "actually": f"{IMG} is what it says",
                             "citation": "{{7*7}} §1", "source_url": "https://rules.example/<b>x", "source_date": "",
                             "keywords": "fall risk score"}, None),
    ]:
        assert post(world, endpoint, spoiled(values, {})[0], args=args).status_code == 303, endpoint
    world.ids["payload"] = world.scalar("SELECT max(id) FROM nominations")
    myth = world.ids["payload_myth"] = world.scalar("SELECT max(id) FROM myths")
    assert post(world, "myths_admin.publish", [], args={"myth_id": myth}).status_code == 303
    world.ids["xss"] = world.scalar("SELECT id FROM users WHERE email = 'xss@example.org'")
    on_it = {"nomination_id": world.ids["payload"]}
    for endpoint, values in [
        ("nominations.comment", {"body": SCRIPT}),
        ("decide.board_note", {"body": IMG}),
        ("decide.evaluate", {"minutes_per_occurrence": "1", "occurrences_per_week": "2", "clinicians_affected": "3",
                             "confirmed_source": "payer", "note": SCRIPT, "owner_id": "", "myths": str(myth),
                             "version": world.version("payload")}),
        ("decide.vote", {"choice": "approve"}),
    ]:
        assert post(world, endpoint, list(values.items()), role="board", args=on_it).status_code in (200, 303)
    with world.engine.begin() as connection:  # the other board member (who never signs in) approves too
        connection.execute(text("INSERT INTO votes (nomination_id, voter_id, choice, cast_at) "
                                "VALUES (:n, :v, 'approve', CURRENT_TIMESTAMP)"),
                           {"n": world.ids["payload"], "v": world.ids["colleague"]})
    retire = {"retired_on": date.today().isoformat(), "outcome": "reduced", "note": IMG,
              "version": world.version("payload")}
    assert post(world, "decide.retire", list(retire.items()), args=on_it).status_code == 303

    page_of_it = f"/nominations/{world.ids['payload']}"
    for role, address, payloads in [
        ("staff", page_of_it, [title, IMG, "<svg onload=alert(1)>", SCRIPT, department, card_title]),
        ("staff", "/commons", [card_title, "<b>Valley</b>", "<svg onload=alert(1)>", SCRIPT]),
        ("staff", f"/commons/{card}", [card_title, IMG, "<svg onload=alert(1)>", "{{7*7}}", SCRIPT, "<b>Valley</b>",
                                       title]),
        ("staff", f"/nominations/new?card={card}", [card_title, IMG, "<svg onload=alert(1)>"]),
        ("staff", "/nominations/similar?title=shared+pwned", [card_title, "<b>Valley</b>", "<svg onload=alert(1)>"]),
        ("board", page_of_it, [IMG, SCRIPT, f"{SCRIPT} is believed"]),  # private note, evaluation, myth cited
        ("staff", "/myths", [f"{SCRIPT} is believed", "{{7*7}} §1"]),
        ("staff", f"/myths/{myth}", [f"{SCRIPT} is believed", f"{IMG} is what it says", "https://rules.example/<b>x",
                                     title]),
        ("staff", "/nominations", [title]),
        ("board", "/board?state=all", [title]),
        ("staff", "/mine", [title]),
        ("staff", "/notices", [title]),
        ("staff", "/wins", [title, IMG, department]),
        ("executive", "/dashboard", [department]),
        ("admin", "/admin/departments", [department, "{{7*7}}"]),
        ("admin", "/admin/categories", [IMG]),
        ("admin", "/admin/users?q=xss", [SCRIPT]),
        ("admin", f"/admin/users/{world.ids['xss']}", [SCRIPT]),
        ("admin", "/admin", [department]),
    ]:
        client, _csrf = world.client(role)
        page = check(client.get(address), address)
        for payload in payloads:
            assert str(escape(payload)) in page, f"{address} does not show {payload!r} as text"

    hostile = [("q", SCRIPT), ("quarter", SCRIPT), ("department", IMG), ("title", SCRIPT), ("next", IMG)]
    args = {"filename": "css/app.css", "token": world.invite_token, "quarter": "2026-Q3", "kind": "departments",
            "file_type": "xlsx", "attachment_id": world.ids["attachment"],
            "item_id": world.ids["surgery"], "user_id": world.ids["xss"], "nomination_id": world.ids["payload"],
            "endpoint_id": world.ids["webhook"], "workbook_id": world.ids["workbook"], "myth_id": myth,
            "card_id": card}
    for rule, method in routes(world.app):
        if method == "GET":
            client, _csrf = world.client(role_for(rule.endpoint, method))
            address = world.url(rule.endpoint, **{name: args[name] for name in rule.arguments})
            for htmx in (False, True):
                check(client.get(address, query_string=query_string(hostile, "urlencoded"),
                                 headers=headers(None, htmx)), f"GET {address}")
