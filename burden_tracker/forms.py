"""WTForms (Flask-WTF). Forms never query the database: views hand them their choices.

Rules about values live in schemas.py; SchemaForm runs them and puts each message beside its field.
"""

from flask_wtf import FlaskForm
from pydantic import ValidationError
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from .enums import AffectedRole, RequirementSource
from .schemas import NominationIn, field_errors

MAX_TEXT = 5000


class SignInForm(FlaskForm):
    email = EmailField("Email", validators=[InputRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=1024)])


class SchemaForm(FlaskForm):
    """A form whose values are judged by a pydantic schema (schemas.py), the one place for the rules."""

    schema = None
    checked = None  # the validated schema instance, after validate()

    def schema_values(self) -> dict:
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        try:
            self.checked = self.schema.model_validate(self.schema_values())
        except ValidationError as error:
            for name, message in field_errors(error).items():
                if name in self._fields:
                    self._fields[name].errors = [*self._fields[name].errors, message.capitalize()]
            return False
        return valid


def _blank_is_none(value):
    return value.strip() if isinstance(value, str) and value.strip() else None


class NominationForm(SchemaForm):
    """Field names are exactly the import columns."""

    schema = NominationIn
    title = StringField("Title", filters=[_blank_is_none],
                        description="A few words a colleague would recognise, e.g. “Pain score charted twice”.")
    description = TextAreaField("What is done today, and why is it unnecessary?", filters=[_blank_is_none])
    category = SelectField("Category")
    department = SelectField("Department")
    affected_role = SelectField("Who does it", choices=[(r.value, r.value) for r in AffectedRole])
    minutes_per_occurrence = StringField("Minutes each time", filters=[_blank_is_none],
                                         description="Decimals are fine: 0.5 is 30 seconds.")
    occurrences_per_week = StringField("Times a week, for one person", filters=[_blank_is_none],
                                       description="0.5 means every other week.")
    clinicians_affected = StringField("How many people do it", filters=[_blank_is_none])
    requirement_source = SelectField("What do you think requires it?",
                                     choices=[(s.value, s.value) for s in RequirementSource])
    suggested_change = TextAreaField("What would you change? (optional)", filters=[_blank_is_none])
    anonymous = BooleanField("Hide my name")


class CommentForm(FlaskForm):
    body = TextAreaField("Comment", validators=[InputRequired("Write a comment first."), Length(max=MAX_TEXT)])


class SupportForm(FlaskForm):
    occurrences_per_week = StringField("Times a week for you", validators=[InputRequired()])


class MoveForm(FlaskForm):
    """Carries the version of the page the person saw, so a stale decision is refused."""

    version = StringField(validators=[InputRequired()])
