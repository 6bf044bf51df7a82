"""Burden cards shared and read, on both databases: what an export holds (and never a person), that it meets the
schema in docs/, and that an import keeps one copy of each card and changes nothing when the file is not valid."""

import json
import re
from datetime import date
from pathlib import Path

import jsonschema_rs
import pytest
from sqlalchemy import func, select

from burden_tracker.enums import Outcome, Role, State
from burden_tracker.errors import DomainError
from burden_tracker.models import AuditEntry, CommonsCard, Settings
from burden_tracker.services.commons import export_cards, import_cards, mark_for_sharing, stop_sharing
from tests.support.factories import make_nomination, make_user
from tests.support.metrics import TODAY as METRICS_TODAY
from tests.support.metrics import departments, import_months
from tests.support.metrics import retired as retired_with_metric

SCHEMA = json.loads((Path(__file__).resolve().parents[3] / "docs" / "burden-card.schema.json").read_text())
TODAY = date(2026, 12, 7)
OTHERS = {"id": "urn:uuid:0b8e4c4e-3f6a-4d2b-9c1e-5a7d2f1e8b90", "title": "IV site charted twice",
          "what_was_done": "Each IV was assessed in two places.", "what_changed": "One row left.",
          "category": "documentation", "affected_role": "nurse",
          "ehr": {"vendor": "Epic", "build_type": "flowsheet row"},
          "requirement": {"source": "internal policy"}, "outcome": "removed",
          "effect": {"estimated_hours_per_year": 1200.5}, "organization": "Valley Health", "retired_on": "2026-03-01"}


def a_file(*entries: dict) -> str:
    return json.dumps({"format": "burden-cards", "version": 1, "exported_at": "2026-12-07T10:00:00Z",
                       "cards": list(entries)})


@pytest.fixture
def retired(session):
    submitter = make_user(session, name="Rosa Delgado", email="rosa.delgado@example.org")
    return make_nomination(session, submitter=submitter, state=State.RETIRED, retired_on=date(2026, 9, 1),
                           outcome=Outcome.CLARIFIED, what_changed="Told the wards the second row is not needed.",
                           anonymous=False)


def test_an_export_holds_the_marked_cards_meets_the_schema_and_names_nobody(session, retired):
    admin = make_user(session, Role.ADMIN)
    assert json.loads(export_cards(session=session)[0])["cards"] == []
    card = mark_for_sharing(session=session, actor_id=admin.id, nomination_id=retired.id, today=TODAY,
                            values={"ehr_vendor": " Epic ", "ehr_module": "", "build_type": "flowsheet row",
                                    "citation": "42 CFR 482.23"})
    text, count = export_cards(session=session)
    exported = json.loads(text)
    jsonschema_rs.validate(SCHEMA, exported)
    assert count == 1 and exported["cards"][0] | {"effect": None} == {
        "id": card.card_id, "title": retired.title, "what_was_done": retired.description,
        "what_changed": "Told the wards the second row is not needed.", "category": "task",
        "affected_role": "nurse", "ehr": {"vendor": "Epic", "module": None, "build_type": "flowsheet row"},
        "requirement": {"source": "internal policy", "citation": "42 CFR 482.23"},
        "outcome": "clarified", "effect": None, "organization": None, "retired_on": "2026-09-01"}
    assert exported["cards"][0]["effect"]["estimated_hours_per_year"] == pytest.approx(0.5 * 36 * 200 / 60 * 46, 0.01)
    assert "Rosa" not in text and "rosa.delgado" not in text and str(admin.email) not in text
    session.get(Settings, 1).share_as = "Queen's Health System"
    session.commit()
    again = json.loads(export_cards(session=session)[0])["cards"][0]
    assert (again["id"], again["organization"]) == (card.card_id, "Queen's Health System")
    assert json.loads(export_cards(session=session, since=date(2026, 12, 8))[0])["cards"] == []
    stop_sharing(session=session, actor_id=admin.id, nomination_id=retired.id)
    assert export_cards(session=session)[1] == 0


def test_only_a_retired_burden_is_shared(session):
    admin = make_user(session, Role.ADMIN)
    with pytest.raises(DomainError, match="Only a retired burden"):
        mark_for_sharing(session=session, actor_id=admin.id, nomination_id=make_nomination(session).id, values={},
                         today=TODAY)


def test_marking_again_changes_what_the_card_adds_and_saving_it_unchanged_records_nothing(session, retired):
    admin = make_user(session, Role.ADMIN)

    def changes() -> int:
        return session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.user_id == admin.id))

    card = mark_for_sharing(session=session, actor_id=admin.id, nomination_id=retired.id, today=TODAY,
                            values={"ehr_vendor": "Epic"})
    again = mark_for_sharing(session=session, actor_id=admin.id, nomination_id=retired.id, today=TODAY,
                             values={"ehr_vendor": " Epic ", "citation": ""})
    assert again.card_id == card.card_id and changes() == 1
    mark_for_sharing(session=session, actor_id=admin.id, nomination_id=retired.id, today=TODAY,
                     values={"ehr_vendor": "Oracle Health"})
    assert changes() == 2
    with pytest.raises(DomainError) as refused:
        mark_for_sharing(session=session, actor_id=admin.id, nomination_id=retired.id, today=TODAY,
                         values={"citation": "x" * 501})
    assert refused.value.fields == {"citation": "must be at most 500 characters"} and changes() == 2


def test_a_card_imported_twice_is_kept_once_with_its_latest_words(session):
    first = import_cards(session=session, text=a_file(OTHERS))
    second = import_cards(session=session, text=a_file({**OTHERS, "what_changed": "One row left, and a default."}))
    assert (first.added, first.replaced, second.added, second.replaced) == (1, 0, 0, 1)
    kept = session.scalars(select(CommonsCard)).all()
    assert [(c.organization, c.what_changed, c.ehr_vendor) for c in kept] == [
        ("Valley Health", "One row left, and a default.", "Epic")]


@pytest.mark.parametrize("text, said", [
    (a_file(OTHERS, {**OTHERS, "id": OTHERS["id"].replace("0b8e", "1b8e"), "outcome": "vanished"}),
     "cards.1.outcome: "),
    (a_file(OTHERS, OTHERS), "the same card twice"),
    ("{\"format\": \"burden-cards\"", "not a valid file of burden cards"),
])
def test_a_file_that_is_not_valid_changes_nothing_and_says_where(session, text, said):
    with pytest.raises(DomainError, match=said):
        import_cards(session=session, text=text)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(CommonsCard)) == 0


def test_our_own_cards_come_back_are_left_out(session, retired):
    admin = make_user(session, Role.ADMIN)
    mark_for_sharing(session=session, actor_id=admin.id, nomination_id=retired.id, values={}, today=TODAY)
    done = import_cards(session=session, text=export_cards(session=session)[0])
    assert (done.added, done.own) == (0, 1)


def test_a_card_carries_what_the_ehr_metrics_measured_in_words_without_our_departments(session):
    admin = make_user(session, Role.ADMIN)
    ids = departments(session, 12)
    import_months(session, "WOW8", ids, effect={ids[0]: -0.5})
    measured, unmeasured = retired_with_metric(session, ids[0]), retired_with_metric(session, ids[1], metric=None)
    for nomination in (measured, unmeasured):
        mark_for_sharing(session=session, actor_id=admin.id, nomination_id=nomination.id, today=TODAY, values={})
    text, _count = export_cards(session=session, today=METRICS_TODAY)
    jsonschema_rs.validate(SCHEMA, json.loads(text))
    effects = {card["title"]: card["effect"]["measured"] for card in json.loads(text)["cards"]}
    assert effects[unmeasured.title] is None
    assert effects[measured.title]["metric"] == "WOW8"
    summary = effects[measured.title]["summary"]
    assert re.fullmatch(r"Work outside of work: EHR time outside scheduled patient hours, per 8 scheduled hours fell "
                        r"by 0\.\d\d hours per 8 scheduled hours in the departments it affected, against the others, "
                        r"over the 3 months before and after\. About 1,\d\d\d clinician-hours a year given back, "
                        r"measured \(interval of the hours given back: -?[\d,]+ to [\d,]+\)\.", summary), summary
    assert "Department 00" not in text
