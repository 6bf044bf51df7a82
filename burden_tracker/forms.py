"""WTForms (Flask-WTF). Forms never query the database: views hand them their choices.

Rules about values live in schemas.py; SchemaForm runs them and puts each message beside its field.
"""

from flask_wtf import FlaskForm
from pydantic import ValidationError
from wtforms import BooleanField, EmailField, PasswordField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from .enums import AffectedRole, RequirementSource
from .schemas import Estimate, NominationIn, field_errors

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
    """Trimmed text, None when blank. Browsers send a textarea's line breaks as CRLF but count them as one
    character, and PostgreSQL refuses NUL: both are undone here so what is stored is what was typed."""
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", "\n").replace("\x00", "").strip()
    return value or None


class NominationForm(SchemaForm):
    """Field names are exactly the import columns. Choices are only offered here: a forged value is judged
    by the schema and the service like any other, so its message is the same plain sentence."""

    schema = NominationIn
    estimate_fields = ("minutes_per_occurrence", "occurrences_per_week", "clinicians_affected")

    title = StringField("Title", filters=[_blank_is_none],
                        description="A few words a colleague would recognise, e.g. “Pain score charted twice”.")
    description = TextAreaField("What is done today, and why is it unnecessary?", filters=[_blank_is_none])
    category = SelectField("Category", validate_choice=False, filters=[_blank_is_none])
    department = SelectField("Department", validate_choice=False, filters=[_blank_is_none])
    affected_role = SelectField("Who does it", validate_choice=False, filters=[_blank_is_none],
                                choices=[SelectChoice("", "Choose a role"), *(r.value for r in AffectedRole)])
    minutes_per_occurrence = StringField("Minutes each time", filters=[_blank_is_none],
                                         description="0.5 is 30 seconds.")
    occurrences_per_week = StringField("Times a week", filters=[_blank_is_none],
                                       description="For one person; 0.5 is every other week.")
    clinicians_affected = StringField("People who do it", filters=[_blank_is_none])
    requirement_source = SelectField("What do you think requires it?", validate_choice=False,
                                     filters=[_blank_is_none], default=RequirementSource.UNKNOWN.value,
                                     choices=[s.value for s in RequirementSource])
    suggested_change = TextAreaField("What would you change? (optional)", filters=[_blank_is_none])
    anonymous = BooleanField("Hide my name", false_values=(False, "false", "", "no", "0", "off"))

    def checked_estimate(self) -> tuple[Estimate | None, dict[str, str]]:
        """The three numbers judged on their own: the estimate, or a message per field."""
        try:
            return Estimate.model_validate({name: self[name].data for name in self.estimate_fields}), {}
        except ValidationError as error:
            return None, field_errors(error)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # pydantic checks the 40-hour limit only once every other field is valid: say it now, not on the next try.
        _, problems = self.checked_estimate()
        for name, message in problems.items():
            self[name].errors = [message.capitalize()]
        return valid and not problems


class CommentForm(FlaskForm):
    body = TextAreaField("Comment", validators=[
        InputRequired("Write a comment first."),
        Length(max=MAX_TEXT, message=f"A comment can be at most {MAX_TEXT:,} characters."),
    ])


class SupportForm(FlaskForm):
    occurrences_per_week = StringField("Times a week for you", validators=[InputRequired()])


class MoveForm(FlaskForm):
    """Carries the version of the page the person saw, so a stale decision is refused."""

    version = StringField(validators=[InputRequired()])
