"""The burden card format: its schema in docs/ is the code's, a file that is not valid says what is wrong where,
and no NUL is kept."""

import json
from pathlib import Path

import pytest

from burden_tracker import cards

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "burden-card.schema.json"
CARD = {"id": "urn:uuid:0b8e4c4e-3f6a-4d2b-9c1e-5a7d2f1e8b90", "title": "IV site charted twice",
        "what_was_done": "Each IV was assessed in two places.", "what_changed": "One row left.",
        "category": "documentation", "affected_role": "nurse", "requirement": {"source": "internal policy"},
        "effect": {"estimated_hours_per_year": 1200.5}, "retired_on": "2026-03-01"}


def a_file(*entries: dict) -> str:
    return json.dumps({"format": "burden-cards", "version": 1, "exported_at": "2026-12-07T10:00:00Z",
                       "cards": list(entries)})


def test_the_schema_in_docs_is_the_one_the_code_reads():
    assert json.loads(SCHEMA.read_text(encoding="utf-8")) == cards.schema()


def test_a_file_is_read_and_a_later_versions_extra_field_is_ignored():
    read = cards.read(a_file({**CARD, "photo": "ignored"}, {**CARD, "id": CARD["id"].replace("0b8e", "1b8e")}))
    assert [card.title for card in read.cards] == ["IV site charted twice"] * 2
    assert read.cards[0].ehr == cards.Ehr() and read.cards[0].organization is None


@pytest.mark.parametrize("change, where", [
    ({"id": "42"}, "cards.0.id"),
    ({"affected_role": "surgeon"}, "cards.0.affected_role"),
    ({"effect": {"estimated_hours_per_year": -1}}, "cards.0.effect.estimated_hours_per_year"),
    ({"title": "x" * 201}, "cards.0.title"),
])
def test_a_card_that_is_not_valid_is_named_with_its_field(change, where):
    with pytest.raises(ValueError, match=rf"^{where}: "):
        cards.read(a_file({**CARD, **change}))


def test_not_json_at_all_is_refused_in_words():
    with pytest.raises(ValueError, match="Invalid JSON"):
        cards.read(b"<html>not cards</html>")


def test_a_nul_in_a_card_is_dropped():
    assert cards.read(a_file({**CARD, "what_changed": "One\x00 row left."})).cards[0].what_changed == "One row left."
