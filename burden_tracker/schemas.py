"""What may be stored: the validated shapes of input, shared by forms, the importer and services.

Table models skip validation when constructed, so every input passes through one of these
first. `field_errors` turns pydantic's errors into one plain sentence per field.
"""

import re
from datetime import date
from typing import Annotated

from pydantic import BeforeValidator, ValidationError, field_validator, model_validator
from pydantic import Field as Limits
from sqlmodel import Field, SQLModel

from . import hours
from .enums import AffectedRole, RequirementSource


def without_nul(value):
    """PostgreSQL refuses NUL in text, even in a query: a NUL typed or forged is dropped wherever input arrives."""
    return value.replace("\x00", "") if isinstance(value, str) else value


LARGEST_ID = 2**31 - 1  # ids are 32-bit integers: a larger number names no row, and the database refuses it
RowId = Annotated[int, Limits(ge=1, le=LARGEST_ID)]
Minutes = Annotated[float, Limits(gt=0, le=480, allow_inf_nan=False)]
Occurrences = Annotated[float, Limits(gt=0, le=1000, allow_inf_nan=False)]
Clinicians = Annotated[int, Limits(ge=1, le=100_000)]

IMPLAUSIBLE = (
    "more than 40 hours a week for one clinician: check the minutes and how often it happens"
)


class Estimate(SQLModel):
    minutes_per_occurrence: Minutes
    occurrences_per_week: Occurrences
    clinicians_affected: Clinicians

    @model_validator(mode="after")
    def at_most_forty_hours_a_week(self):
        if not hours.is_plausible(self.minutes_per_occurrence, self.occurrences_per_week):
            raise ValueError(IMPLAUSIBLE)
        return self


class SupportIn(SQLModel):
    occurrences_per_week: Occurrences


class NominationFields(Estimate):
    """A nomination as a person gives it: on the form, and through the API (views/api_nominations.py)."""

    title: str = Field(min_length=5, max_length=200)
    description: str = Field(min_length=1, max_length=5000)
    category: str = Field(min_length=1, max_length=120)
    department: str = Field(min_length=1, max_length=120)
    affected_role: AffectedRole
    requirement_source: RequirementSource
    suggested_change: str | None = Field(default=None, max_length=5000)
    anonymous: bool = False


class NominationIn(NominationFields):
    """What nominate() stores: a person's fields, and for an import the day it was submitted."""

    submitted_on: date | None = None


_WEB_ADDRESS = re.compile(r"https?://[^\s/]+\.[^\s]+")


class MythIn(SQLModel):
    """An entry of the regulatory-myth library as an admin writes it (services/myths.py)."""

    belief: str = Field(min_length=10, max_length=300)
    actually: str = Field(min_length=10, max_length=2000)
    citation: str = Field(min_length=3, max_length=500)
    source_url: str = Field(max_length=500)
    source_date: date | None = None
    keywords: str = Field(default="", max_length=300)

    @field_validator("source_url")
    @classmethod
    def a_web_address(cls, value: str) -> str:
        if not _WEB_ADDRESS.fullmatch(value):
            raise ValueError("must be a web address starting https:// (or http://)")
        return value

    @field_validator("source_date")
    @classmethod
    def not_in_the_future(cls, value: date | None) -> date | None:
        if value is not None and value > date.today():
            raise ValueError("is in the future")
        return value


def _trimmed(value):
    """Text without NUL and the spaces around it; None when blank."""
    return (without_nul(value).strip() or None) if isinstance(value, str) else value


def _optional_text(longest: int):
    return Annotated[Annotated[str, Limits(max_length=longest)] | None, BeforeValidator(_trimmed)]


class SharedCardIn(SQLModel):
    """What a burden card adds to a retired nomination as an admin marks it for sharing (services/commons.py);
    blank is none. The lengths are the shared_cards columns'."""

    ehr_vendor: _optional_text(120) = None
    ehr_module: _optional_text(120) = None
    build_type: _optional_text(120) = None
    citation: _optional_text(500) = None


class RevisionIn(Estimate):
    """The board's revision of a nomination (services/revisions.py): every value the form shows, and why."""

    department_id: int
    category_id: int
    affected_role: AffectedRole
    requirement_source: RequirementSource
    reason: Annotated[str, Limits(min_length=1, max_length=5000)]

    @model_validator(mode="before")
    @classmethod
    def trimmed_reason(cls, values):
        if isinstance(values, dict) and isinstance(values.get("reason"), str):
            values = {**values, "reason": without_nul(values["reason"]).strip() or None}
        return values


_MESSAGES = {
    "missing": "is required",
    "string_too_short": "must be at least {min_length} characters",
    "string_too_long": "must be at most {max_length} characters",
    "greater_than": "must be more than {gt}",
    "greater_than_equal": "must be at least {ge}",
    "less_than_equal": "must be at most {le}",
    "finite_number": "must be a finite number",
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "int_type": "must be a whole number",
    "bool_parsing": "must be yes or no",
    "date_from_datetime_parsing": "must be a date like 2026-07-01",
    "date_parsing": "must be a date like 2026-07-01",
    "date_type": "must be a date like 2026-07-01",
}


def field_errors(error: ValidationError) -> dict[str, str]:
    """One message per field; errors about the whole estimate go on minutes_per_occurrence."""
    messages: dict[str, str] = {}
    for item in error.errors():
        field = str(item["loc"][0]) if item["loc"] else "minutes_per_occurrence"
        messages.setdefault(field, _describe(item))
    return messages


def _describe(item) -> str:
    if item.get("input") is None and item["type"] != "value_error":
        return "is required"
    if item["type"] == "enum":
        return f"must be one of: {item['ctx']['expected']}"
    if item["type"] == "value_error":
        return str(item["ctx"]["error"])
    template = _MESSAGES.get(item["type"])
    if template is None:
        return item["msg"]
    return template.format(**{k: _plain(v) for k, v in (item.get("ctx") or {}).items()})


def as_typed(number) -> str:
    """A stored number as a form field offers it again: 15 rather than 15.0, and 0.4 as 0.4."""
    return f"{int(number)}" if float(number).is_integer() else f"{number}"


def _plain(value):
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    if isinstance(value, int):
        return f"{value:,}"
    return value
