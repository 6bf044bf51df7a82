"""WTForms (Flask-WTF), and how a form's body is read. Forms never query the database: views hand them their choices.

Rules about values live in schemas.py; SchemaForm runs them and puts each message beside its field.

One module of more than 300 lines, because every form of the app stands here beside the strict reading of a form's
body that they all rely on: a field added to one is checked against the others' shapes in one place.
"""

from itertools import chain
from urllib.parse import parse_qsl

from flask import Request, current_app
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from pydantic import ValidationError
from werkzeug.datastructures import FileStorage, ImmutableMultiDict, MultiDict
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge
from werkzeug.formparser import FormDataParser
from werkzeug.sansio.multipart import Data, Epilogue, Field, File, MultipartDecoder, NeedData
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, EqualTo, InputRequired, Length, NumberRange, Optional, StopValidation

from .ehr_metrics import METRICS
from .enums import (
    AffectedRole,
    NoticeEmail,
    Outcome,
    RequirementSource,
    Role,
    TokenScope,
    VoteChoice,
    WebhookEvent,
    WebhookFormat,
)
from .errors import as_sentence
from .schemas import LARGEST_ID, Estimate, NominationIn, field_errors, without_nul
from .webhook_messages import address_problem

MAX_TEXT = 5000


class SignInForm(FlaskForm):
    email = EmailField("Email", validators=[InputRequired(), Length(max=254)], filters=[without_nul])
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
                    self._fields[name].errors = [*self._fields[name].errors, as_sentence(message)]
            return False
        return valid


def _blank_is_none(value):
    """Trimmed text, None when blank. Browsers send a textarea's line breaks as CRLF but count them as one
    character, and PostgreSQL refuses NUL: both are undone here so what is stored is what was typed."""
    if not isinstance(value, str):
        return value
    value = without_nul(value.replace("\r\n", "\n")).strip()
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
    # The burden card from another health system it was begun from (/commons): a hidden field, judged here and by
    # services/nominations.py, and no field of the schema.
    from_card = IntegerField(validators=[Optional(), NumberRange(min=1, max=LARGEST_ID)])

    def schema_values(self) -> dict:
        return {name: value for name, value in super().schema_values().items() if name != "from_card"}

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
            self[name].errors = [as_sentence(message)]
        return valid and not problems


class EditNominationForm(NominationForm):
    """The submitter's own nomination, changed while it is proposed: the same fields but anonymity, and the version
    of the page they saw."""

    version = StringField(validators=[InputRequired()])
    from_card = None  # a nomination is begun from a card once, when it is made

    def schema_values(self) -> dict:
        return {name: value for name, value in super().schema_values().items() if name not in ("version", "anonymous")}


class CommentForm(FlaskForm):
    body = TextAreaField("Comment", filters=[_blank_is_none], validators=[
        InputRequired("Write a comment first."),
        Length(max=MAX_TEXT, message=f"A comment can be at most {MAX_TEXT:,} characters."),
    ])


class CloseQuarterForm(FlaskForm):
    """The quarter to close or reopen comes in the address; the form carries the CSRF token."""


class ReopenQuarterForm(FlaskForm):
    reason = TextAreaField("Why reopen it?", filters=[_blank_is_none], validators=[
        InputRequired("Say why the quarter is reopened: it is kept with the quarter's history."),
        Length(max=2000, message="The reason can be at most 2,000 characters."),
    ], description="For example: a retirement was dated wrongly and must be corrected in this quarter.")


class SupportForm(FlaskForm):
    occurrences_per_week = StringField("Times a week for you", validators=[InputRequired()])


class HideCommentForm(FlaskForm):
    reason = TextAreaField("Why hide it? (its author reads this)", filters=[_blank_is_none], validators=[
        InputRequired("Say why, in a sentence its author will read."), Length(max=1000)])


def _row_ids(message: str):
    """A validator of several ids, each one a row could have."""
    def check(_form, field) -> None:
        if any(not 0 < number <= LARGEST_ID for number in field.data or []):
            raise StopValidation(message)
    return check


class ScheduleForm(FlaskForm):
    """Several nominations of the board's queue at once: an owner ("none" for nobody), or a due day (empty clears
    it). The filters of the page it came from travel with it, as the queue's own address fields."""

    chosen = SelectMultipleField("Nominations", coerce=int, validate_choice=False,
                                 validators=[_row_ids("Tick nominations from the list.")])
    action = StringField(validators=[InputRequired(), AnyOf(["owner", "due"])])
    new_owner = StringField("Owner", filters=[_blank_is_none])
    due_on = DateField("Due for evaluation on", validators=[Optional()])


class AttachmentForm(FlaskForm):
    """The file is checked by services/attachment_files.py, by its content: the form only carries it."""

    file = FileField("Add a screenshot or PDF",
                     description="PNG, JPEG or PDF, up to 10 MB; a nomination holds up to 5 files.")


class FollowForm(FlaskForm):
    following = StringField(validators=[InputRequired(), AnyOf(["yes", "no"])])


class NoticeEmailForm(FlaskForm):
    notice_email = RadioField("Email me my notices", choices=[
        SelectChoice(NoticeEmail.AT_ONCE.value, "At once, one email for each"),
        SelectChoice(NoticeEmail.DAILY.value, "In a daily digest"),
        SelectChoice(NoticeEmail.WEEKLY.value, "In a weekly digest"),
        SelectChoice(NoticeEmail.NONE.value, "Never: I read them in Burden Tracker"),
    ], validators=[InputRequired("Choose how your notices reach you.")])


class TakeBackForm(FlaskForm):
    """Nothing to fill in: the form carries its CSRF token."""


class MoveForm(FlaskForm):
    """Carries the version of the page the person saw, so a stale decision is refused."""

    version = StringField(validators=[InputRequired()])


# The board's decisions. Field names are the keys workflow.py requires for each move, so `fields()` is what
# the service is handed; which of them are required is the workflow's to say, not these forms'. Ids are
# prefixed because several of these forms share a page (and a `note`).


class DecisionForm(MoveForm):
    version = IntegerField(validators=[InputRequired()])

    def fields(self) -> dict:
        return {name: field.data for name, field in self._fields.items() if name not in ("csrf_token", "version")}

    def problems(self) -> dict[str, str]:
        """What is wrong with the values on their own, told beside a refusal that stopped at something else."""
        return {}


def _note(label: str, move: str) -> TextAreaField:
    return TextAreaField(label, id=f"{move}-note", filters=[_blank_is_none], validators=[
        Length(max=MAX_TEXT, message=f"At most {MAX_TEXT:,} characters.")])


def _board_estimate(form: str, said: str = "") -> tuple[StringField, StringField, StringField]:
    """The board's three numbers of an estimate, their ids prefixed by the form's name and their labels followed by
    `said`, since two such forms share the board's panel."""
    return tuple(StringField(f"{label}{said}", id=f"{form}-{name}", filters=[_blank_is_none]) for name, label in (
        ("minutes_per_occurrence", "Minutes each time"), ("occurrences_per_week", "Times a week, per person"),
        ("clinicians_affected", "People who do it")))


def _measuring(form: str) -> tuple[SelectField, SelectMultipleField]:
    """The EHR metric a retirement should move and the departments it affects, chosen when evaluating or
    retiring. The departments' choices come from the view."""
    return (SelectField("EHR metric it should move", id=f"{form}-measured_metric", validate_choice=False,
                        filters=[_blank_is_none], choices=[SelectChoice("", "None: not measured"), *(
                            SelectChoice(key, f"{key}: {metric.name}") for key, metric in METRICS.items())]),
            SelectMultipleField("Departments it affects", id=f"{form}-affected_departments", validate_choice=False,
                                description="Their metric is compared with the other departments'. None chosen: "
                                            "its own department."))


class EvaluateForm(DecisionForm):
    minutes_per_occurrence, occurrences_per_week, clinicians_affected = _board_estimate("evaluate")
    confirmed_source = SelectField("Confirmed source of the requirement", id="evaluate-confirmed_source",
                                   validate_choice=False, filters=[_blank_is_none],
                                   choices=[s.value for s in RequirementSource])
    note = _note("Evaluation note (the submitter sees it)", "evaluate")
    owner_id = SelectField("Owner", id="evaluate-owner_id", default="")  # choices: active board members, from the view
    measured_metric, affected_departments = _measuring("evaluate")
    # Choices from the view: the library's entries, those matching the nomination first.
    myths = SelectMultipleField("Regulatory myths it rests on", id="evaluate-myths", validate_choice=False)

    def problems(self) -> dict[str, str]:
        numbers = ("minutes_per_occurrence", "occurrences_per_week", "clinicians_affected")
        try:
            Estimate.model_validate({name: self[name].data for name in numbers})
        except ValidationError as error:
            return field_errors(error)
        return {}


class ReopenForm(DecisionForm):
    note = _note("What more information is needed?", "reopen")


class RetireForm(DecisionForm):
    retired_on = DateField("Effective date", id="retire-retired_on", validators=[Optional()])
    outcome = RadioField("How was it resolved?", id="retire-outcome", validate_choice=False,
                         choices=[SelectChoice(outcome.value, outcome.value.capitalize()) for outcome in Outcome])
    note = _note("What was changed", "retire")
    measured_metric, affected_departments = _measuring("retire")


class RejectForm(DecisionForm):
    note = _note("Rationale (the submitter sees it)", "reject")


class RevisionForm(DecisionForm):
    """The board's revision: every value shown as it stands, and why it changes. Its rules are schemas.RevisionIn."""

    minutes_per_occurrence, occurrences_per_week, clinicians_affected = _board_estimate("revise", " (revised)")
    department_id = SelectField("Department (revised)", id="revise-department_id", validate_choice=False,
                                filters=[_blank_is_none])  # choices: from the view
    category_id = SelectField("Category (revised)", id="revise-category_id", validate_choice=False,
                              filters=[_blank_is_none])
    affected_role = SelectField("Who does it (revised)", id="revise-affected_role", validate_choice=False,
                                filters=[_blank_is_none], choices=[r.value for r in AffectedRole])
    requirement_source = SelectField("Source of the requirement (revised)", id="revise-requirement_source",
                                     validate_choice=False, filters=[_blank_is_none],
                                     choices=[s.value for s in RequirementSource])
    reason = _note("Why revise it? (the history shows it)", "revise")


class DuplicateForm(DecisionForm):
    q = StringField("Find the nomination that stays", id="duplicate-q")
    duplicate_of = IntegerField("The nomination it duplicates", id="duplicate-duplicate_of",
                                validators=[Optional(), NumberRange(min=1, max=LARGEST_ID,
                                                                    message="Choose a nomination from the list.")])

    def fields(self) -> dict:
        return {"duplicate_of": self.duplicate_of.data}


class VoteForm(FlaskForm):
    choice = SelectField("Your vote", choices=[c.value for c in VoteChoice])


class BoardNoteForm(FlaskForm):
    body = TextAreaField("Private note (board members only)", id="board-note-body", filters=[_blank_is_none],
                         validators=[InputRequired("Write a note first."),
                                     Length(max=MAX_TEXT, message=f"A note can be at most {MAX_TEXT:,} characters.")])


class RedactForm(FlaskForm):
    """The view offers the nomination's texts as choices; services.redaction judges the one chosen."""

    text = SelectField("Text to redact", id="redact-text", validate_choice=False,
                       validators=[InputRequired("Choose the text to redact.")])


# Administration. These forms only carry what was typed: services.admin judges it and the view puts each
# message beside its field.

ROLE_CHOICES = [SelectChoice(role.value, role.value.capitalize()) for role in Role]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


class UserForm(FlaskForm):
    email = EmailField("Email", filters=[_blank_is_none])
    name = StringField("Name", filters=[_blank_is_none])
    roles = SelectMultipleField("Roles", choices=ROLE_CHOICES)


class RolesForm(FlaskForm):
    roles = SelectMultipleField("Roles", choices=ROLE_CHOICES)
    # Offered when the health system has more than one site; choices from the view.
    sites = SelectMultipleField("As a board member, decides for", coerce=int, validate_choice=False,
                                validators=[_row_ids("Choose sites from the list.")])


class SignOnRoleForm(FlaskForm):
    claim_value = StringField("Value of the roles claim", filters=[_blank_is_none],
                              description="Exactly as the provider sends it: a group's id (Microsoft Entra ID sends "
                                          "ids, not names) or a role's name.")
    role = SelectField("Grants the role", choices=ROLE_CHOICES)


class MetricNameForm(FlaskForm):
    name = StringField("Name in the vendor's export", filters=[_blank_is_none],
                       description="As the export writes it; case, spaces, hyphens and underscores do not matter.")
    metric = SelectField("Is the metric", choices=[SelectChoice(key, key) for key in METRICS])


class NameForm(FlaskForm):
    name = StringField("Name", filters=[_blank_is_none])
    # Departments only (views/admin.py removes it from the others): the site it belongs to; choices from the view.
    site_id = SelectField("Site", coerce=int, validate_choice=False, validators=[
        Optional(), NumberRange(min=1, max=LARGEST_ID, message="Choose one of the sites.")])


class MoveDepartmentForm(FlaskForm):
    site_id = SelectField("Site", coerce=int, validate_choice=False, validators=[
        InputRequired("Choose a site."), NumberRange(min=1, max=LARGEST_ID, message="Choose one of the sites.")])


class SettingsForm(FlaskForm):
    working_weeks_per_year = StringField("Working weeks a year", filters=[_blank_is_none],
                                         description="Weeks a clinician works in a year, 1–53.")
    fte_hours_per_year = StringField("FTE hours a year", filters=[_blank_is_none],
                                     description="Hours one full-time clinician works in a year, 1–8,784.")
    quorum_fraction = StringField("Quorum", filters=[_blank_is_none],
                                  description="A vote counts once more than this share of active board members "
                                              "voted: 0.5 is more than half. From 0 to below 1.")
    fiscal_year_start_month = SelectField("Fiscal year starts in", validate_choice=False, filters=[_blank_is_none],
                                          choices=[SelectChoice(str(n), month) for n, month in enumerate(MONTHS, 1)],
                                          description="January gives calendar quarters.")
    stale_after_days = StringField("Stale after (days)", filters=[_blank_is_none],
                                   description="An open nomination without a due day that has not moved for "
                                               "longer than this is overdue on the board's queue, 1–365.")
    annual_target_hours = StringField("Annual target of hours given back", filters=[_blank_is_none],
                                      description="Hours to realize in a fiscal year, which the dashboard and "
                                                  "the workbook measure progress against. Blank: no target.")
    time_zone = StringField("Time zone", filters=[_blank_is_none],
                            description="The organization's clocks, as a region and city (America/Chicago): they "
                                        "decide what today is, and where a quarter and a day begin.")
    audit_retention_days = StringField("Keep the security trail (days)", filters=[_blank_is_none],
                                       description="Sign-ins, refusals and admin changes older than this are "
                                                   "deleted, 30–3,650.")
    measure_window_months = StringField("Months measured before and after", filters=[_blank_is_none],
                                        description="A retirement's EHR metric is compared over this many months "
                                                    "before it and as many after, 1–12.")
    fewest_clinicians_shown = StringField("Fewest clinicians shown", filters=[_blank_is_none],
                                          description="A department's own EHR metrics are shown for a month only "
                                                      "when it counts at least this many clinicians, 1–100.")

    def rate_fields(self) -> list:
        return [self[settings_rate_field(role)] for role in AffectedRole]


def settings_rate_field(role: AffectedRole) -> str:
    """Named as queries.admin.rate_field names it."""
    return f"rate_{role.name.lower()}"


for _role in AffectedRole:
    setattr(SettingsForm, settings_rate_field(_role),
            StringField(as_sentence(_role.value), filters=[_blank_is_none]))


class SetPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[InputRequired("Choose a password."), Length(max=1024)],
                             description="At least 8 characters, and hard to guess: a few uncommon words together "
                                         "work well. Not your name or email address.")
    confirm = PasswordField("The same password again", validators=[
        InputRequired("Type the password a second time."),
        EqualTo("password", message="The two passwords are not the same."),
    ])


class ChangePasswordForm(SetPasswordForm):
    current = PasswordField("Your current password", validators=[InputRequired("Type your current password."),
                                                                 Length(max=1024)])


class CodeForm(FlaskForm):
    code = StringField("Code", validators=[InputRequired("Type the code."), Length(max=64)],
                       description="The 6 digits your authenticator app shows now, or one of your recovery codes.")


class ConfirmForm(FlaskForm):
    password = PasswordField("Your password", validators=[InputRequired("Type your password."), Length(max=1024)])
    code = StringField("Code from your authenticator app", validators=[Length(max=64)])


class TokenForm(FlaskForm):
    name = StringField("What will use it", validators=[InputRequired("Name what will use the token."),
                                                        Length(max=80)],
                       description="Say an intranet page, a warehouse's nightly load, a service-desk script.")
    scope = RadioField("It may", default=TokenScope.READ.value, choices=[
        SelectChoice(TokenScope.READ.value, "Read: list and read nominations, comments and the quarter's figures"),
        SelectChoice(TokenScope.WRITE.value,
                     "Read and change: also nominate, support, comment and decide, as your roles allow")],
        validators=[InputRequired("Choose what it may do.")])
    days = SelectField("It expires after", coerce=int, default=90,
                       choices=[SelectChoice(7, "7 days"), SelectChoice(30, "30 days"),
                                SelectChoice(90, "90 days, the longest")])


class WebhookForm(FlaskForm):
    """An endpoint for /admin/webhooks; services/webhooks.py checks the address, as the API would."""

    name = StringField("Name", validators=[InputRequired("Name the endpoint after what it feeds."), Length(max=80)],
                       description="Say the intranet's wins page, or the board's Teams channel.")
    url = StringField("Address", validators=[InputRequired("Paste the address the receiver gave you."),
                                             Length(max=2000)],
                      description="It starts with https://. For Teams, the address of a Workflows webhook; "
                                  "for Slack, an incoming webhook's.")
    events = SelectMultipleField("Tell it of", choices=[
        SelectChoice(WebhookEvent.NOMINATION_CREATED.value, "A new nomination"),
        SelectChoice(WebhookEvent.NOMINATION_MOVED.value, "A nomination moved (evaluated, retired, rejected…)"),
        SelectChoice(WebhookEvent.NOMINATION_REVISED.value, "A nomination revised by the board"),
        SelectChoice(WebhookEvent.COMMENT_CREATED.value, "A new comment (never its text)"),
        SelectChoice(WebhookEvent.QUARTER_CLOSED.value, "A quarter closed, with its figures")],
        validators=[InputRequired("Choose at least one event.")])
    format = RadioField("Send it as", default=WebhookFormat.STANDARD.value, choices=[
        SelectChoice(WebhookFormat.STANDARD.value, "JSON for a program, signed as Standard Webhooks say"),
        SelectChoice(WebhookFormat.TEAMS.value, "A card in a Microsoft Teams channel (Workflows webhook)"),
        SelectChoice(WebhookFormat.SLACK.value, "A message in a Slack channel (incoming webhook)")],
        validators=[InputRequired("Choose how to send it.")])

    def validate_url(self, field):
        problem = address_problem(field.data.strip(), http_allowed=current_app.config["WEBHOOK_HTTP_ALLOWED"])
        if problem:
            raise StopValidation(as_sentence(problem))


class ConfirmClearForm(FlaskForm):
    """A button that changes a list and asks nothing more: its CSRF token is its only field."""


class ForgotPasswordForm(FlaskForm):
    email = StringField("Email", validators=[InputRequired("Type the email address you sign in with."),
                                             Length(max=254)])


class DepartmentNameForm(FlaskForm):
    department_name = StringField("How the export names the department", filters=[_blank_is_none],
                                  description="As the export writes it; case does not matter.")
    department_id = SelectField("Is our department", validate_choice=False, filters=[_blank_is_none])  # from the view


class MetricsUploadForm(FlaskForm):
    file = FileField("The vendor's export, or the template filled in",
                     description=".xlsx or .csv (UTF-8): the long export, the wide workbook, or the template.")
    dry_run = BooleanField("Only check it: import nothing")


# How a form's body is read. Browsers send our forms urlencoded or as multipart text, in UTF-8, each name once (a list
# of checkboxes aside). Anything else is forged or broken, and Werkzeug and Flask-WTF would make something of it:
# bytes that are not UTF-8 become U+FFFD or stay %-escaped and are stored as if typed, a repeated name gives the form
# its first value, a file part hands a validator a FileStorage (a 500), and Flask-WTF reads a JSON body as the form,
# numbers and lists included. Such a request is refused whole with the plain 400 page before any form or service sees
# it: CSRF protection reads the form of every POST first.
#
# A file is read only by a view marked with accepts_upload, and only in the field it names; the body may then be as
# large as UPLOAD_MAX_BYTES, while its text fields keep the forms' limit.


def accepts_upload(field_name: str, *, only_for):
    """Marks a view whose form carries one file, in the field of this name, for the people only_for() accepts:
    the form is read before the view's own checks run (CSRF protection reads it), so no one else's file is
    even written to a temporary file."""
    def mark(view):
        view.upload_field, view.upload_allowed = field_name, only_for
        return view
    return mark


def _several_valued(forms) -> frozenset[str]:
    """The names a list of checkboxes sends once per box ticked: every SelectMultipleField's (unprefixed)."""
    return frozenset(name for form in forms for name, field in vars(form).items()
                     if issubclass(getattr(field, "field_class", type), SelectMultipleField))


SEVERAL_VALUES = _several_valued(form for form in list(globals().values())
                                 if isinstance(form, type) and issubclass(form, FlaskForm))
FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
READ_SIZE = 64 * 1024


class StrictFormParser(FormDataParser):
    """Werkzeug's form parser, but what it would mend or silently drop is refused (400)."""

    upload_field: str | None = None  # set by FormRequest for a view marked with accepts_upload

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs, silent=False)

    def parse(self, stream, mimetype, content_length, options=None):
        try:
            if content_length and mimetype not in FORM_TYPES:
                raise ValueError(f"a body of type {mimetype or 'unknown'}")
            parsed = super().parse(stream, mimetype, content_length, options)
            _one_value_each(parsed[1])
        except ValueError as error:  # UnicodeDecodeError is one
            raise BadRequest(f"The form could not be read: {error}") from error
        return parsed

    def _parse_urlencoded(self, stream, mimetype, content_length, options):
        if self.max_form_memory_size is not None and (content_length or 0) > self.max_form_memory_size:
            raise RequestEntityTooLarge()
        pairs = parse_qsl(stream.read().decode(), keep_blank_values=True, errors="strict")
        return stream, self.cls(pairs), self.cls()

    def _parse_multipart(self, stream, mimetype, content_length, options):
        boundary = options.get("boundary", "").encode("ascii")
        if not boundary:
            raise ValueError("multipart without a boundary")
        decoder = MultipartDecoder(boundary, self.max_form_memory_size, max_parts=self.max_form_parts)
        fields, files = [], []
        try:
            for name, value in _parts(decoder, stream, self.max_form_memory_size, self._open_file):
                (files if isinstance(value, FileStorage) else fields).append((name, value))
            _one_value_each(self.cls(fields))
            _one_value_each(self.cls(files))
        except Exception:  # a refused body keeps none of its files: the request would never close them
            for _name, file in files:
                file.close()
            raise
        return stream, self.cls(fields), self.cls(files)

    def _open_file(self, part: File) -> FileStorage:
        if part.name != self.upload_field:
            raise ValueError(f"{part.name!r} is a file")
        content_type = part.headers.get("content-type", "application/octet-stream")
        return FileStorage(self.stream_factory(None, content_type, part.filename), filename=part.filename,
                           name=part.name, headers=part.headers)


def _parts(decoder: MultipartDecoder, stream, limit: int | None, open_file):
    """Each part's name and its text, read as UTF-8 without mending, or its file (which open_file may refuse)."""
    name, value, file = None, bytearray(), None
    try:
        for chunk in chain(iter(lambda: stream.read(READ_SIZE), b""), [None]):
            decoder.receive_data(chunk)
            while not isinstance(event := decoder.next_event(), (NeedData, Epilogue)):
                if isinstance(event, File):
                    name, file = event.name, open_file(event)
                elif isinstance(event, Field):
                    name, value, file = event.name, bytearray(), None
                elif isinstance(event, Data) and file is not None:
                    file.stream.write(event.data)
                    if not event.more_data:
                        file.stream.seek(0)
                        yield name, file
                        file = None
                elif isinstance(event, Data):
                    value += event.data
                    if limit is not None and len(value) > limit:
                        raise RequestEntityTooLarge()
                    if not event.more_data:
                        yield name, value.decode()
    except Exception:
        if file is not None:  # cut off halfway: too large, or broken
            file.close()
        raise


def _one_value_each(form: MultiDict) -> None:
    for name, values in form.lists():
        if len(values) > 1 and name not in SEVERAL_VALUES:
            raise ValueError(f"{name!r} sent {len(values)} times")


class FormRequest(Request):
    form_data_parser_class = StrictFormParser

    @property
    def upload_field(self) -> str | None:
        view = current_app.view_functions.get(self.endpoint) if self.endpoint else None
        if view is None or not getattr(view, "upload_field", None) or not view.upload_allowed():
            return None
        return view.upload_field

    @property
    def max_content_length(self) -> int | None:
        if self._max_content_length is None and self.upload_field:
            return current_app.config["UPLOAD_MAX_BYTES"]
        return super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    def make_form_data_parser(self) -> StrictFormParser:
        parser = super().make_form_data_parser()
        parser.upload_field = self.upload_field
        return parser

    def _load_form_data(self) -> None:
        try:
            super()._load_form_data()
        except BadRequest:
            # Whatever reads the form while the refusal is answered finds it empty, rather than parsing again.
            self.__dict__.update(form=ImmutableMultiDict(), files=ImmutableMultiDict())
            raise


def init_app(app) -> None:
    app.request_class = FormRequest


class MythForm(FlaskForm):
    """An entry of the regulatory-myth library; services/myths.py checks it (schemas.MythIn)."""

    belief = TextAreaField("What people believe is required", filters=[_blank_is_none])
    actually = TextAreaField("What the rule actually says", filters=[_blank_is_none],
                             description="In the library's own words, not copied from the source.")
    citation = StringField("Citation", filters=[_blank_is_none],
                           description="The rule, manual section or standard, e.g. 42 CFR 482.24(c)(2).")
    source_url = StringField("Address of the source", filters=[_blank_is_none])
    source_date = DateField("The source's own date", validators=[Optional()],
                            description="As the source gives it; leave empty when it gives none.")
    keywords = StringField("More words a nomination about it might use", filters=[_blank_is_none],
                           description="Separated by spaces: they help offer the entry while a nomination is typed.")


class ShareCardForm(FlaskForm):
    """What a burden card adds to a retired nomination, as an admin marks it for sharing (services/commons.py)."""

    ehr_vendor = StringField("EHR vendor", filters=[_blank_is_none])
    ehr_module = StringField("EHR module", filters=[_blank_is_none])
    build_type = StringField("Build type", filters=[_blank_is_none],
                             description="A flowsheet row, an alert, an order set, a note template, …")
    citation = StringField("Citation of the requirement", filters=[_blank_is_none],
                           description="The rule or standard it was thought to need, where one applies.")


class ShareAsForm(FlaskForm):
    share_as = StringField("Share cards as", filters=[_blank_is_none],
                           description="Your health system's name on the cards it shares; empty: they name no one.")


class CardsUploadForm(FlaskForm):
    file = FileField("A file of burden cards", description="The .json file another health system exported.")
