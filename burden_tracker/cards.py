"""Burden cards: a retired burden as one health system shares it with the others, in an open JSON format.

A file holds cards; each card says what the burden was, what was changed, where it lived (role, EHR vendor, module
and build), what required it or was thought to, how it was resolved, and its effect. It names no person: the sharing
organization only, and only if it chooses to be named. A card's `id` stays the same whenever it is exported again,
so importing a card twice keeps one.

docs/burden-card.schema.json is the JSON Schema of this module's CardFile (`schema()`); a test keeps the two the
same. Pure: pydantic only.
"""

import json
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .enums import AffectedRole, Outcome, RequirementSource

FORMAT = "burden-cards"
VERSION = 1
MOST_CARDS = 10_000
CARD_ID = r"^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"

Name = Annotated[str, Field(min_length=1, max_length=120)]
Text = Annotated[str, Field(min_length=1, max_length=5000)]


class _Part(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)  # fields a later version adds are ignored

    @field_validator("*", mode="before")
    @classmethod
    def without_nul(cls, value):
        """A NUL in a string is dropped: no database here stores it, and no person typed it."""
        return value.replace("\x00", "") if isinstance(value, str) else value


class Ehr(_Part):
    """Where in the EHR the burden lived, as far as the sharer says."""

    vendor: Name | None = None
    module: Name | None = Field(None, description="The EHR's module or application, e.g. an inpatient nursing module.")
    build_type: Name | None = Field(None, description="What kind of build it was: a flowsheet row, an alert, an "
                                                      "order set, a note template, a questionnaire, …")


class Requirement(_Part):
    source: RequirementSource = Field(description="What required it, or was believed to.")
    citation: Annotated[str, Field(max_length=500)] | None = Field(
        None, description="The rule, standard or clarification, where one applies.")


class Measured(_Part):
    metric: Annotated[str, Field(min_length=1, max_length=60)] = Field(description="The EHR usage metric measured.")
    summary: Annotated[str, Field(min_length=1, max_length=500)] = Field(description="What the measurement showed.")


class Effect(_Part):
    estimated_hours_per_year: float = Field(ge=0, le=1e9, allow_inf_nan=False,
                                            description="Clinician hours a year given back, as the board estimated.")
    measured: Measured | None = None


class Card(_Part):
    id: str = Field(pattern=CARD_ID, description="Stable: the same card keeps it whenever it is exported again.")
    title: Annotated[str, Field(min_length=5, max_length=200)]
    what_was_done: Text = Field(description="The burden: what people did, and why it was unnecessary.")
    what_changed: Text = Field(description="What was changed to retire it.")
    category: Name
    affected_role: AffectedRole
    ehr: Ehr = Field(default_factory=Ehr)
    requirement: Requirement
    outcome: Outcome | None = None
    effect: Effect
    organization: Annotated[str, Field(min_length=1, max_length=200)] | None = Field(
        None, description="The sharing health system, only when it chooses to be named.")
    retired_on: date


class CardFile(_Part):
    """A file of burden cards."""

    model_config = ConfigDict(json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema",
                                                 "title": "Burden cards"})
    format: Literal["burden-cards"]
    version: Literal[1]
    exported_at: datetime
    cards: list[Card] = Field(max_length=MOST_CARDS)


def schema() -> dict:
    """The JSON Schema of a file of cards, as docs/burden-card.schema.json holds it."""
    return CardFile.model_json_schema()


def read(text: bytes | str) -> CardFile:
    """The cards of a file; ValueError saying, one line for each, what is wrong where."""
    try:
        return CardFile.model_validate_json(text)
    except ValidationError as error:
        raise ValueError("\n".join(_where(item) for item in error.errors()[:20])) from None


def written(cards: list[Card], exported_at: datetime) -> str:
    """The JSON of a file of these cards."""
    document = CardFile(format=FORMAT, version=VERSION, exported_at=exported_at, cards=cards)
    return json.dumps(document.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def _where(item: dict) -> str:
    path = ".".join(str(part) for part in item["loc"]) or "the file"
    return f"{path}: {item['msg']}"
