"""The tables. Rules about what may be stored live in schemas.py; rules about moves in workflow.py.

One module of more than 300 lines, because the tables refer to one another (foreign keys, the indexes the lists
read, the events' triggers), and Alembic compares the migrations with all of them at once.
"""

from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from .enums import (
    Actor,
    AffectedRole,
    AuditKind,
    DeliveryOutcome,
    EventKind,
    NoticeEmail,
    Outcome,
    RequirementSource,
    Role,
    State,
    TokenScope,
    VoteChoice,
    WebhookEvent,
    WebhookFormat,
    WorkbookState,
)


def utc_now() -> datetime:
    return datetime.now(UTC)


def text_enum(enum_cls) -> sa.Enum:
    return sa.Enum(
        enum_cls, native_enum=False, length=32, values_callable=lambda members: [m.value for m in members]
    )


class User(SQLModel, table=True):
    __tablename__ = "users"
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    name: str = Field(default="", max_length=120)
    password_hash: str | None = Field(default=None, max_length=255)
    active: bool = True
    # May still sign in with a password when SSO_ONLY is on: named by an operator (`burden-tracker user break-glass`).
    break_glass: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    # A second factor (services/second_factor.py): the one-time codes' shared secret once enrolled, and the last
    # time step a code was accepted for, so that a code is never accepted twice.
    totp_secret: str | None = Field(default=None, max_length=64)
    totp_last_step: int | None = None
    # How their notices reach them by email: at once (services/mail.py), in a digest (services/digests.py), or not.
    notice_email: NoticeEmail = Field(default=NoticeEmail.AT_ONCE, sa_type=text_enum(NoticeEmail),
                                      sa_column_kwargs={"server_default": NoticeEmail.AT_ONCE.value})
    created_at: datetime = Field(default_factory=utc_now)
    role_links: list["UserRole"] = Relationship(
        sa_relationship_kwargs={"lazy": "selectin", "cascade": "all, delete-orphan"}
    )

    @property
    def roles(self) -> set[Role]:
        return {link.role for link in self.role_links}

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    def has_any(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))


class UserSession(SQLModel, table=True):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is stored, so
    signing out (deleting the row) makes a replayed cookie worthless."""

    __tablename__ = "user_sessions"
    token_hash: str = Field(max_length=64, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    created_at: datetime = Field(default_factory=utc_now)
    last_seen_at: datetime = Field(default_factory=utc_now)
    id_token: str | None = Field(default=None, sa_type=sa.Text)  # single sign-on's, to sign out at the provider too
    user_agent: str | None = Field(default=None, max_length=255)  # where it is, for the person's list of sessions
    # When the person last proved who they are in it (sign-in, or asked again before a sensitive admin action).
    proved_at: datetime | None = None
    address: str | None = Field(default=None, max_length=64)


class RecoveryCode(SQLModel, table=True):
    """One of the ten single-use codes that stand in for the second factor when the phone is lost. Only a hash is
    kept: the codes are long random strings, shown once."""

    __tablename__ = "recovery_codes"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    code_hash: str = Field(max_length=64)
    used_at: datetime | None = None


class MetricName(SQLModel, table=True):
    """A name an EHR vendor's export gives a canonical metric (ehr_metrics.METRICS): the defaults, and an admin's."""

    __tablename__ = "metric_names"
    name_key: str = Field(max_length=120, primary_key=True)  # ehr_metrics.name_key of the name
    name: str = Field(max_length=120)
    metric: str = Field(max_length=32)


class DepartmentName(SQLModel, table=True):
    """A name an EHR vendor's export gives one of our departments, where it is not the department's own name
    (which the import matches in any case without this)."""

    __tablename__ = "department_names"
    name_key: str = Field(max_length=120, primary_key=True)  # the name stripped and case-folded
    name: str = Field(max_length=120)
    department_id: int = Field(foreign_key="departments.id", index=True)


class DepartmentMonth(SQLModel, table=True):
    """One metric for one department and calendar month, summed over its clinicians: a person's own figures are
    never kept. A vendor sheet that gives only the department's figure leaves it in value, which cannot be pooled
    with others."""

    __tablename__ = "department_months"
    department_id: int = Field(foreign_key="departments.id", primary_key=True)
    metric: str = Field(max_length=32, primary_key=True)
    month: date = Field(primary_key=True)  # its first day
    numerator: float | None = None
    denominator: float | None = None
    value: float | None = None
    clinicians: int | None = None
    imported_at: datetime = Field(default_factory=utc_now)


# A retirement is measured on one metric across every department, over some months: read by metric and month.
sa.Index("ix_department_months_metric_month", DepartmentMonth.metric, DepartmentMonth.month)


class AffectedDepartment(SQLModel, table=True):
    """A department a nomination's retirement should change, beside its own, as the board names them for
    measuring it (Nomination.measured_metric). None named: its own department only."""

    __tablename__ = "affected_departments"
    nomination_id: int = Field(foreign_key="nominations.id", primary_key=True)
    department_id: int = Field(foreign_key="departments.id", primary_key=True)


class SignOnIdentity(SQLModel, table=True):
    """A person as a single sign-on provider knows them: its issuer and their subject there. Never their email,
    which the provider may let them change, or give to someone else later."""

    __tablename__ = "sign_on_identities"
    issuer: str = Field(max_length=255, primary_key=True)
    subject: str = Field(max_length=255, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    linked_at: datetime = Field(default_factory=utc_now)
    # The last sign-in through the provider: an API token of theirs stops working 30 days after it (roles removed
    # at the provider reach this app only at a sign-in).
    signed_in_at: datetime = Field(default_factory=utc_now)


class SignOnRole(SQLModel, table=True):
    """A value of the provider's roles claim (an Entra group id, a role's name), and a role it grants here."""

    __tablename__ = "sign_on_roles"
    claim_value: str = Field(max_length=255, primary_key=True)
    role: Role = Field(sa_type=text_enum(Role), primary_key=True)


class UserRole(SQLModel, table=True):
    __tablename__ = "user_roles"
    __table_args__ = (sa.Index("ix_user_roles_role", "role", "user_id"),)  # the board's members, found by role
    user_id: int = Field(foreign_key="users.id", primary_key=True)
    role: Role = Field(sa_type=text_enum(Role), primary_key=True)


class Site(SQLModel, table=True):
    """A hospital or clinic of the health system; each department belongs to one."""

    __tablename__ = "sites"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    active: bool = True


class BoardSite(SQLModel, table=True):
    """A site a board member may decide for. A board member with none listed decides for every site; one with
    some sees only those sites' nominations in the board's queue and panel (queries/deciders.py)."""

    __tablename__ = "board_sites"
    user_id: int = Field(foreign_key="users.id", primary_key=True)
    site_id: int = Field(foreign_key="sites.id", primary_key=True, index=True)


class Department(SQLModel, table=True):
    __tablename__ = "departments"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    active: bool = True
    # Its site: every department has one (migration 0035 gave the existing ones the first site, and each new one is
    # given one: queries/reference.first_site_id). Nullable in the schema only because SQLite cannot add a column
    # that is both NOT NULL and a foreign key without rebuilding the table, which would lose its triggers.
    site_id: int | None = Field(default=None, foreign_key="sites.id", index=True)


class Category(SQLModel, table=True):
    __tablename__ = "categories"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    active: bool = True


_nomination_version = sa.Column("version", sa.Integer, nullable=False)


class Nomination(SQLModel, table=True):
    """A burden someone nominated, with the submitter's estimate and the board's side by side."""

    __tablename__ = "nominations"
    __mapper_args__ = {"version_id_col": _nomination_version}  # optimistic locking on every UPDATE

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    description: str = Field(sa_type=sa.Text)
    category_id: int = Field(foreign_key="categories.id")  # indexed below, with the state
    department_id: int = Field(foreign_key="departments.id")  # indexed below, with the state
    affected_role: AffectedRole = Field(sa_type=text_enum(AffectedRole))
    minutes_per_occurrence: float
    occurrences_per_week: float
    clinicians_affected: int
    requirement_source: RequirementSource = Field(sa_type=text_enum(RequirementSource))
    suggested_change: str | None = Field(default=None, sa_type=sa.Text)
    anonymous: bool = False
    submitter_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    submitted_on: date  # indexed with the id: ix_nominations_newest, below

    board_minutes_per_occurrence: float | None = None
    board_occurrences_per_week: float | None = None
    board_clinicians_affected: int | None = None
    confirmed_source: RequirementSource | None = Field(default=None, sa_type=text_enum(RequirementSource))
    evaluation_note: str | None = Field(default=None, sa_type=sa.Text)

    state: State = Field(default=State.PROPOSED, sa_type=text_enum(State))  # indexed below
    owner_id: int | None = Field(default=None, foreign_key="users.id")
    # The board's meeting rhythm (queries/listing.py: overdue): the day its evaluation is due, if the board set one;
    # the organization's day of its last move, NULL until its first; and the due day its owner was last reminded
    # of (services/reminders.py), so that each due day is reminded of once.
    due_on: date | None = None
    moved_on: date | None = None
    reminded_of_due_on: date | None = None
    retired_on: date | None = Field(default=None, index=True)
    what_changed: str | None = Field(default=None, sa_type=sa.Text)
    outcome: Outcome | None = Field(default=None, sa_type=text_enum(Outcome))  # None: retired before it was asked
    rejection_rationale: str | None = Field(default=None, sa_type=sa.Text)
    duplicate_of_id: int | None = Field(default=None, foreign_key="nominations.id")
    # The EHR metric (ehr_metrics.METRICS) its retirement should move, in the departments of affected_departments
    # (its own when none are named there): the board's choice.
    measured_metric: str | None = Field(default=None, max_length=32, index=True)  # few are set: found at once
    from_card_id: int | None = Field(default=None, foreign_key="commons_cards.id", index=True)  # begun from a card
    version: int | None = Field(default=None, sa_column=_nomination_version)
    # Kept by the database itself (triggers on supporters, migration 0005), so that the lists can sort by it.
    supporters_count: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)

    @property
    def estimate(self) -> tuple[float, float, int]:
        """The board's validated estimate once it exists, else the submitter's."""
        return (
            self.board_minutes_per_occurrence or self.minutes_per_occurrence,
            self.board_occurrences_per_week or self.occurrences_per_week,
            self.board_clinicians_affected or self.clinicians_affected,
        )


# The estimate in force, as SQL: the board's once it exists, else the submitter's (see Nomination.estimate).
ESTIMATE_IN_FORCE = (
    sa.func.coalesce(Nomination.board_minutes_per_occurrence, Nomination.minutes_per_occurrence),
    sa.func.coalesce(Nomination.board_occurrences_per_week, Nomination.occurrences_per_week),
    sa.func.coalesce(Nomination.board_clinicians_affected, Nomination.clinicians_affected),
)
# Minutes a week the burden costs, all clinicians together. Hours a year are this times a constant, so
# "most hours first" sorts by it, and an index holds exactly this expression.
MINUTES_A_WEEK = ESTIMATE_IN_FORCE[0] * ESTIMATE_IN_FORCE[1] * ESTIMATE_IN_FORCE[2]

# The lists' pages (queries/listing.py) read one state at a time in the order asked for, optionally
# within one department, so that a page walks a few index entries however large the table grows.
# Each ends with what makes a nomination overdue (its due day and its last move): the board's overdue pages and
# tabs then read it from the index, not from the end of each row, which costs far more (docs/performance.md).
_LIST_ORDERS = {"newest": [], "hours": [MINUTES_A_WEEK], "supporters": [Nomination.supporters_count]}
_OVERDUE_BY = [Nomination.due_on, Nomination.moved_on]
for _order, _first in _LIST_ORDERS.items():
    sa.Index(f"ix_nominations_state_{_order}", Nomination.state, *_first, Nomination.submitted_on, Nomination.id,
             *_OVERDUE_BY)
    sa.Index(f"ix_nominations_department_state_{_order}", Nomination.department_id, Nomination.state, *_first,
             Nomination.submitted_on, Nomination.id, *_OVERDUE_BY)
# The board's tabs count each state of a category up to COUNT_LIMIT from the index alone.
sa.Index("ix_nominations_category_state_newest", Nomination.category_id, Nomination.state, Nomination.submitted_on,
         Nomination.id, *_OVERDUE_BY)
# The whole list, newest first, and the reports' ranges of dates. With the id in it, PostgreSQL reads a
# page's ids from the index alone, already in order.
sa.Index("ix_nominations_newest", Nomination.submitted_on, Nomination.id)
# Wins, newest retirement first: read backwards within the retired ones, whatever else the table holds.
sa.Index("ix_nominations_state_retired", Nomination.state, Nomination.retired_on, Nomination.id)


class Supporter(SQLModel, table=True):
    """A "me too": someone else who carries the same burden, at their own frequency."""

    __tablename__ = "supporters"
    __table_args__ = (sa.UniqueConstraint("nomination_id", "user_id", name="uq_supporter_once"),)
    id: int | None = Field(default=None, primary_key=True)
    nomination_id: int = Field(foreign_key="nominations.id", index=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    occurrences_per_week: float
    created_at: datetime = Field(default_factory=utc_now)


class Follow(SQLModel, table=True):
    """Someone who chose to follow a nomination, or (following false) its submitter or a supporter who chose to stop:
    those two follow without a row (queries/notices.people_following)."""

    __tablename__ = "follows"
    __table_args__ = (sa.UniqueConstraint("nomination_id", "user_id", name="uq_follow_once"),)
    id: int | None = Field(default=None, primary_key=True)
    nomination_id: int = Field(foreign_key="nominations.id", index=True)
    user_id: int = Field(foreign_key="users.id")
    following: bool
    created_at: datetime = Field(default_factory=utc_now)


class Note(SQLModel):
    """What a comment and a board note both are: someone's text on a nomination, at a time. Not a table."""

    id: int | None = Field(default=None, primary_key=True)
    nomination_id: int = Field(foreign_key="nominations.id", index=True)
    author_id: int = Field(foreign_key="users.id")
    body: str = Field(sa_type=sa.Text)
    created_at: datetime = Field(default_factory=utc_now)


class Comment(Note, table=True):
    __tablename__ = "comments"
    # SUBMITTER when the nomination's submitter wrote it (then an anonymous one stays unnamed), else NULL.
    acted_as: Actor | None = Field(default=None, sa_type=text_enum(Actor))
    edited_at: datetime | None = None  # its author changed it (services/comments.py), shown as "edited"
    hidden_at: datetime | None = None  # the board hid it; only its author still reads it, with the reason
    hidden_reason: str | None = Field(default=None, sa_type=sa.Text)


class Attachment(SQLModel, table=True):
    """A screenshot or PDF added to a nomination. Its bytes live on disk under their SHA-256 (services/
    attachment_files.py), outside static/; a file is seen by its uploader and the board until a board member
    releases it. Removing one deletes the row (its name may itself say what should not have been said); the
    history keeps that it was removed."""

    __tablename__ = "attachments"
    id: int | None = Field(default=None, primary_key=True)
    nomination_id: int = Field(foreign_key="nominations.id", index=True)
    uploader_id: int = Field(foreign_key="users.id")
    # SUBMITTER when the nomination's submitter added it (then an anonymous one stays unnamed), else NULL.
    acted_as: Actor | None = Field(default=None, sa_type=text_enum(Actor))
    file_name: str = Field(max_length=200)  # as the uploader's computer called it, shown as text
    media_type: str = Field(max_length=32)  # what its content is, never what its name said
    size: int
    sha256: str = Field(max_length=64, index=True)
    created_at: datetime = Field(default_factory=utc_now)
    released_at: datetime | None = None
    released_by_id: int | None = Field(default=None, foreign_key="users.id")


class BoardNote(Note, table=True):
    """Private to the board: never shown to staff, unlike the evaluation note."""

    __tablename__ = "board_notes"


class Vote(SQLModel, table=True):
    __tablename__ = "votes"
    __table_args__ = (sa.UniqueConstraint("nomination_id", "voter_id", name="uq_vote_once"),)
    id: int | None = Field(default=None, primary_key=True)
    nomination_id: int = Field(foreign_key="nominations.id", index=True)
    voter_id: int = Field(foreign_key="users.id")
    choice: VoteChoice = Field(sa_type=text_enum(VoteChoice))
    cast_at: datetime = Field(default_factory=utc_now)


class EventNote(SQLModel, table=True):
    """The words of an event, kept apart from it: events are append-only, and the board can redact a text that
    should never have been typed (services/redaction.py). A redacted note's body is REDACTED."""

    __tablename__ = "event_notes"
    id: int | None = Field(default=None, primary_key=True)
    body: str = Field(sa_type=sa.Text)
    redacted_at: datetime | None = None
    redacted_by_id: int | None = Field(default=None, foreign_key="users.id")


REDACTED = "[redacted]"  # what stands where a redacted text was


class Event(SQLModel, table=True):
    """Append-only history; the database refuses UPDATE and DELETE (see EVENT_TRIGGERS). Its words live in
    EventNote, which can be redacted without touching the event."""

    __tablename__ = "events"
    # A nomination's history in time order; the reports ask for its last move before a quarter ended.
    __table_args__ = (sa.Index("ix_events_nomination_at", "nomination_id", "at"),)
    id: int | None = Field(default=None, primary_key=True)
    nomination_id: int | None = Field(default=None, foreign_key="nominations.id")
    actor_id: int | None = Field(default=None, foreign_key="users.id")
    # The capacity the actor acted in (board or submitter), for naming them (naming.py); NULL for no person.
    acted_as: Actor | None = Field(default=None, sa_type=text_enum(Actor))
    at: datetime = Field(default_factory=utc_now, index=True)
    kind: EventKind = Field(sa_type=text_enum(EventKind))
    from_state: State | None = Field(default=None, sa_type=text_enum(State))
    to_state: State | None = Field(default=None, sa_type=text_enum(State))
    note_id: int | None = Field(default=None, foreign_key="event_notes.id")
    note: EventNote | None = Relationship(sa_relationship_kwargs={"lazy": "joined"})

    @property
    def note_text(self) -> str | None:
        return self.note.body if self.note else None


def event_note(text: str | None) -> EventNote | None:
    """An event's note, or None when there is nothing to say."""
    text = text.strip() if text else ""
    return EventNote(body=text) if text else None


class Notification(SQLModel, table=True):
    __tablename__ = "notifications"
    __table_args__ = (sa.Index("ix_notifications_unread", "user_id", "read_at"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    nomination_id: int | None = Field(default=None, foreign_key="nominations.id")
    event_id: int | None = Field(default=None, foreign_key="events.id")
    message: str = Field(sa_type=sa.Text)
    created_at: datetime = Field(default_factory=utc_now)
    read_at: datetime | None = None
    emailed_at: datetime | None = None


class Settings(SQLModel, table=True):
    """One row (id 1) of program-wide settings; defaults are docs/product.md's."""

    __tablename__ = "settings"
    id: int = Field(default=1, primary_key=True)
    working_weeks_per_year: float = 46
    fte_hours_per_year: float = 2080
    quorum_fraction: float = 0.5
    fiscal_year_start_month: int = 1
    stale_after_days: int = 30
    audit_retention_days: int = Field(default=400, sa_column_kwargs={"server_default": "400"})
    # The organization's clocks: what "today" and a day are for reports and lists (event times are stored in UTC).
    time_zone: str = Field(default="UTC", max_length=64, sa_column_kwargs={"server_default": "UTC"})
    annual_target_hours: float | None = None  # hours to realize in a fiscal year; none until an admin sets one
    # Measured impact (measured.py): the months before and after a retirement, and the fewest clinicians a
    # department must count in a month for its own figure to be shown.
    measure_window_months: int = Field(default=3, sa_column_kwargs={"server_default": "3"})
    fewest_clinicians_shown: int = Field(default=5, sa_column_kwargs={"server_default": "5"})
    # The name burden cards are shared under (cards.py); None: they name no organization.
    share_as: str | None = Field(default=None, max_length=200)


class ReferenceStamp(SQLModel, table=True):
    """One row (id 1) whose stamp changes, by trigger (migration 0006), whenever settings, departments or
    categories change. Each worker keeps its copy of them while the stamp it read them under holds."""

    __tablename__ = "reference_stamp"
    id: int = Field(default=1, primary_key=True)
    stamp: str = Field(max_length=36)


class HourlyRate(SQLModel, table=True):
    __tablename__ = "hourly_rates"
    affected_role: AffectedRole = Field(sa_type=text_enum(AffectedRole), primary_key=True)
    usd_per_hour: float



class AuditEntry(SQLModel, table=True):
    """A line of the security trail (audit.py), kept apart from the nominations' append-only events and deleted
    once older than the retention period in the settings. Its path never holds a nomination's id."""

    __tablename__ = "audit_entries"
    __table_args__ = (sa.Index("ix_audit_entries_kind_at", "kind", "at"),
                      sa.Index("ix_audit_entries_user_at", "user_id", "at"))
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utc_now, index=True)
    kind: AuditKind = Field(sa_type=text_enum(AuditKind))
    user_id: int | None = Field(default=None, foreign_key="users.id")
    email: str | None = Field(default=None, max_length=340)
    address: str | None = Field(default=None, max_length=64)
    method: str | None = Field(default=None, max_length=16)
    path: str | None = Field(default=None, max_length=340)
    detail: str | None = Field(default=None, max_length=340)


class Invite(SQLModel, table=True):
    """A one-time link to set a password: an invite an admin made, or a reset the person asked for. The link holds
    a random token; only its SHA-256 is stored."""

    __tablename__ = "invites"
    token_hash: str = Field(max_length=64, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    purpose: str = Field(default="invite", max_length=16, sa_column_kwargs={"server_default": "invite"})
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utc_now)
    expires_at: datetime
    used_at: datetime | None = None

APPEND_ONLY_MESSAGE = "events are append-only"

EVENT_TRIGGERS = {
    "sqlite": [
        f"CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
        f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END",
        f"CREATE TRIGGER events_no_delete BEFORE DELETE ON events "
        f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}'; END $$",
        "CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events "
        "FOR EACH ROW EXECUTE FUNCTION events_append_only()",
    ],
}


@sa.event.listens_for(Event.__table__, "after_create")
def _create_event_triggers(_table, connection, **_kw):
    for statement in EVENT_TRIGGERS.get(connection.dialect.name, []):
        connection.exec_driver_sql(statement)


class FailureTally(SQLModel, table=True):
    """The failed sign-ins (or invite links) of one account, address or browser, and the wait they earned
    (services/sign_in_guard.py). Kept here when REDIS_URL is not set, so that every worker of a server counts
    together. A row is only worth keeping until forget_at, and is deleted after it."""

    __tablename__ = "failure_tallies"
    key: str = Field(max_length=80, primary_key=True)
    recent: str = Field(default="", max_length=400)  # when the failures still inside the window happened
    held_until: datetime | None = None
    wait_seconds: int = 0
    forget_at: datetime = Field(index=True)


class QuarterClosing(SQLModel, table=True):
    """A quarter closed by an admin (services/closing.py): its report as it stood (JSON: figures, breakdowns, the
    settings used) and, in closed_rows, its sheets' rows. Reopening keeps this line (who, when, why) and drops what
    was stored; at most one closing of a quarter is in force."""

    __tablename__ = "quarter_closings"
    __table_args__ = (sa.Index("ux_quarter_closings_in_force", "quarter", unique=True,
                               sqlite_where=sa.text("reopened_at IS NULL"),
                               postgresql_where=sa.text("reopened_at IS NULL")),)
    id: int | None = Field(default=None, primary_key=True)
    quarter: str = Field(max_length=16)  # hours.Quarter.key; the fiscal start month cannot change while closed
    closed_at: datetime = Field(default_factory=utc_now)
    closed_by_id: int | None = Field(default=None, foreign_key="users.id")  # None: an operator's command
    report: str | None = Field(default=None, sa_type=sa.Text)  # None once reopened
    # Each site's report by site id (JSON), apart from the health system's so that its pages do not read them;
    # None once reopened, and for a quarter closed before sites' reports were stored.
    site_reports: str | None = Field(default=None, sa_type=sa.Text)
    reopened_at: datetime | None = None
    reopened_by_id: int | None = Field(default=None, foreign_key="users.id")
    reopen_reason: str | None = Field(default=None, sa_type=sa.Text)


class ClosedRow(SQLModel, table=True):
    """One row of a closed quarter's sheet, its values as JSON in the sheet's column order."""

    __tablename__ = "closed_rows"
    __table_args__ = (sa.Index("ix_closed_rows_sheet", "closing_id", "sheet", "position"),)
    id: int | None = Field(default=None, primary_key=True)
    closing_id: int = Field(foreign_key="quarter_closings.id")
    sheet: str = Field(max_length=32)
    position: int
    nomination_id: int | None = Field(default=None, index=True)  # for redaction, which reaches stored copies
    site_id: int | None = None  # the nomination's site when it was closed, for a site's workbook
    values: str = Field(sa_type=sa.Text)


class Restatement(SQLModel, table=True):
    """A change, written after a quarter was closed, that alters its figures: by how much, and which event did it."""

    __tablename__ = "restatements"
    id: int | None = Field(default=None, primary_key=True)
    closing_id: int = Field(foreign_key="quarter_closings.id", index=True)
    at: datetime = Field(default_factory=utc_now)
    nomination_id: int = Field(foreign_key="nominations.id")
    event_id: int | None = Field(default=None, foreign_key="events.id")
    change: str = Field(sa_type=sa.Text)  # what happened, in words
    difference: str = Field(sa_type=sa.Text)  # JSON: {figure: now minus before}


class EventChange(SQLModel, table=True):
    """A value an event changed, from what to what: the board's revisions (services/revisions.py)."""

    __tablename__ = "event_changes"
    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="events.id", index=True)
    field: str = Field(max_length=32)
    old_value: str = Field(sa_type=sa.Text)
    new_value: str = Field(sa_type=sa.Text)


class KeptQuarter(SQLModel, table=True):
    """A quarter whose figures are kept up to date as nominations change (queries/kept_figures.py), and what they
    have counted: the newest nomination and decision, under the reference stamp of the settings in force."""

    __tablename__ = "kept_quarters"
    quarter: str = Field(primary_key=True, max_length=16)  # hours.Quarter.key
    last_nomination_id: int = 0
    last_event_id: int = 0
    reference_stamp: str = Field(default="", max_length=36)
    kept_at: datetime = Field(default_factory=utc_now)


class KeptFigure(SQLModel, table=True):
    """One kept figure of a quarter, for the whole program (grouping '') or one group of it."""

    __tablename__ = "kept_figures"
    quarter: str = Field(primary_key=True, max_length=16)
    grouping: str = Field(primary_key=True, max_length=16)
    group_key: str = Field(primary_key=True, max_length=64)
    measure: str = Field(primary_key=True, max_length=32)
    value: float = 0.0


class KeptDay(SQLModel, table=True):
    """A kept amount of a quarter that the day it is read on weighs: hours a year by the day they begin to be
    realized in the quarter, and the nominations waiting at its end by their day of submission."""

    __tablename__ = "kept_days"
    quarter: str = Field(primary_key=True, max_length=16)
    grouping: str = Field(primary_key=True, max_length=16)
    group_key: str = Field(primary_key=True, max_length=64)
    measure: str = Field(primary_key=True, max_length=32)
    day: int = Field(primary_key=True)  # date.toordinal(): the reports count days between two by subtracting
    value: float = 0.0


class FailedJob(SQLModel, table=True):
    """A job of the queue (jobs.py) that failed its last try, for admins to see on /admin/jobs. What it was
    given is not kept: an email's text may hold a link to set a password."""

    __tablename__ = "failed_jobs"
    id: int | None = Field(default=None, primary_key=True)
    job: str = Field(max_length=64)  # the queue's name for it, jobs.py
    error: str = Field(max_length=500)
    tries: int
    failed_at: datetime = Field(default_factory=utc_now, index=True)


class ApiToken(SQLModel, table=True):
    """A personal API token (/me/tokens, `burden-tracker token create`): it acts with its owner's roles, limited by
    its scope, until it expires or is revoked. Only its SHA-256 is kept; the token is shown once."""

    __tablename__ = "api_tokens"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    name: str = Field(max_length=80)
    scope: TokenScope = Field(sa_type=text_enum(TokenScope))
    token_hash: str = Field(max_length=64, unique=True)
    shown_start: str = Field(max_length=12)  # its first characters, so that its owner knows which one it is
    created_at: datetime = Field(default_factory=utc_now)
    expires_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class WebhookEndpoint(SQLModel, table=True):
    """Where an admin asked to be told of changes (/admin/webhooks): each event it names is delivered there, signed
    with its secret (services/webhook_delivery.py). The secret is kept as it is, since signing needs it, and shown
    to the admin once."""

    __tablename__ = "webhook_endpoints"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80)
    url: str = Field(max_length=2000)
    events: str = Field(max_length=200)  # the WebhookEvent values it wants, space-separated
    format: WebhookFormat = Field(sa_type=text_enum(WebhookFormat))
    secret: str = Field(max_length=64)  # whsec_ and base64, as the Standard Webhooks specification writes it
    active: bool = True
    created_at: datetime = Field(default_factory=utc_now)
    # One worker at a time delivers an endpoint's events, in order: it holds the endpoint until then, by its mark.
    delivering_until: datetime | None = None
    held_by: str | None = Field(default=None, max_length=16)


class WebhookDelivery(SQLModel, table=True):
    """One event for one endpoint, written in the transaction of the change it tells of (the outbox), then sent by
    a job until the endpoint answers 2xx or WEBHOOK_WAITS run out. Its payload names nobody."""

    __tablename__ = "webhook_deliveries"
    # An endpoint's deliveries still to send, oldest first; and its log, newest first.
    __table_args__ = (sa.Index("ix_webhook_deliveries_endpoint_outcome", "endpoint_id", "outcome", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    endpoint_id: int = Field(foreign_key="webhook_endpoints.id")
    message_id: str = Field(max_length=40, unique=True)  # the webhook-id header: the same on every try
    event: WebhookEvent = Field(sa_type=text_enum(WebhookEvent))
    payload: str = Field(sa_type=sa.Text)  # the event's JSON, as it was when the change was written
    created_at: datetime = Field(default_factory=utc_now)
    outcome: DeliveryOutcome = Field(default=DeliveryOutcome.PENDING, sa_type=text_enum(DeliveryOutcome))
    tries: int = 0
    next_try_at: datetime = Field(default_factory=utc_now)
    last_tried_at: datetime | None = None
    last_status: int | None = None  # the HTTP status of the last answer; None when none came
    last_answer: str | None = Field(default=None, max_length=300)  # its first words, or why none came


class Workbook(SQLModel, table=True):
    """A quarter's workbook written once and kept in the database, in parts (services/workbooks.py): a closed
    quarter's, for every reader until it is reopened or a redaction reaches it (closing_id set); or one too large to
    write while a reader waits, as of the day it was asked for, for that reader only (closing_id None)."""

    __tablename__ = "workbooks"
    # AUTOINCREMENT: SQLite would otherwise give a forgotten workbook's id to the next, and a job still writing the
    # forgotten one would write into it.
    __table_args__ = (sa.Index("ix_workbooks_quarter_closing", "quarter", "closing_id"), {"sqlite_autoincrement": True})
    id: int | None = Field(default=None, primary_key=True)
    quarter: str = Field(max_length=16)  # hours.Quarter.key
    closing_id: int | None = Field(default=None, foreign_key="quarter_closings.id")
    site_id: int | None = Field(default=None, foreign_key="sites.id")  # one site's workbook; None: the system's
    requested_by_id: int | None = Field(default=None, foreign_key="users.id")  # None: kept for every reader
    state: WorkbookState = Field(default=WorkbookState.QUEUED, sa_type=text_enum(WorkbookState))
    rows_written: int = 0
    size: int = 0  # bytes, once ready
    requested_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)  # each step of the writing: a stalled one is given up
    problem: str | None = Field(default=None, max_length=300)  # why it failed, in general words


class WorkbookPart(SQLModel, table=True):
    """One piece of a kept workbook's file, in order: a download streams them a piece at a time."""

    __tablename__ = "workbook_parts"
    workbook_id: int = Field(foreign_key="workbooks.id", primary_key=True)
    position: int = Field(primary_key=True)
    data: bytes = Field(sa_type=sa.LargeBinary)


class Myth(SQLModel, table=True):
    """An entry of the regulatory-myth library: a requirement often believed and not real (or narrower than believed),
    with what the rule actually says and where. data/regulatory_myths.json ships the first entries (`key`); admins
    add and edit more. A new entry, or an edit of a published one (a draft with draft_of_id), waits for an admin to
    publish it (services/myths.py)."""

    __tablename__ = "myths"
    id: int | None = Field(default=None, primary_key=True)
    key: str | None = Field(default=None, max_length=80, unique=True)  # a shipped entry's, so init adds it once
    belief: str = Field(max_length=300)
    actually: str = Field(max_length=2000)  # what the rule says, in the library's own words
    citation: str = Field(max_length=500)
    source_url: str = Field(max_length=500)
    source_date: date | None = None  # the source's own date; None where it gives none
    keywords: str = Field(default="", max_length=300)  # more words a nomination about it might use
    reviewed_on: date
    reviewed_by_id: int | None = Field(default=None, foreign_key="users.id")  # None: reviewed for the shipped library
    published: bool = False
    draft_of_id: int | None = Field(default=None, foreign_key="myths.id", unique=True)
    updated_at: datetime = Field(default_factory=utc_now)


class MythCited(SQLModel, table=True):
    """A nomination the board found to rest on a myth of the library, as it evaluated it."""

    __tablename__ = "myths_cited"
    nomination_id: int = Field(foreign_key="nominations.id", primary_key=True)
    myth_id: int = Field(foreign_key="myths.id", primary_key=True, index=True)


class SharedCard(SQLModel, table=True):
    """A retired nomination an admin marked for sharing as a burden card (cards.py, services/commons.py), with what
    the card says beyond the nomination itself. `card_id` never changes, so other systems keep one copy of it."""

    __tablename__ = "shared_cards"
    nomination_id: int = Field(foreign_key="nominations.id", primary_key=True)
    card_id: str = Field(max_length=45, unique=True)  # urn:uuid:…
    ehr_vendor: str | None = Field(default=None, max_length=120)
    ehr_module: str | None = Field(default=None, max_length=120)
    build_type: str | None = Field(default=None, max_length=120)
    citation: str | None = Field(default=None, max_length=500)
    shared_by_id: int = Field(foreign_key="users.id")
    shared_on: date


class CommonsCard(SQLModel, table=True):
    """A burden card another health system shared, as imported: one row per card id, the last import's words."""

    __tablename__ = "commons_cards"
    id: int | None = Field(default=None, primary_key=True)
    card_id: str = Field(max_length=45, unique=True)
    organization: str | None = Field(default=None, max_length=200)
    title: str = Field(max_length=200)
    what_was_done: str = Field(max_length=5000)
    what_changed: str = Field(max_length=5000)
    category: str = Field(max_length=120)
    affected_role: AffectedRole = Field(sa_type=text_enum(AffectedRole))
    ehr_vendor: str | None = Field(default=None, max_length=120)
    ehr_module: str | None = Field(default=None, max_length=120)
    build_type: str | None = Field(default=None, max_length=120)
    requirement_source: RequirementSource = Field(sa_type=text_enum(RequirementSource))
    citation: str | None = Field(default=None, max_length=500)
    outcome: Outcome | None = Field(default=None, sa_type=text_enum(Outcome))
    estimated_hours_per_year: float
    measured_metric: str | None = Field(default=None, max_length=60)
    measured_summary: str | None = Field(default=None, max_length=500)
    retired_on: date
    imported_at: datetime = Field(default_factory=utc_now)
