"""The fixed vocabularies of the product, in one place.

Each is stored in the database as its value (text), so adding a member is a change of data,
not of column types. Spreadsheet and form input is matched by `from_label`, which ignores
case, underscores and extra spaces.
"""

from enum import StrEnum


class Vocabulary(StrEnum):
    @classmethod
    def from_label(cls, text: str):
        wanted = normalize_label(text)
        for member in cls:
            if normalize_label(member.value) == wanted:
                return member
        raise ValueError(f"must be one of: {', '.join(m.value for m in cls)}")


def normalize_label(text: str) -> str:
    return " ".join(str(text).replace("_", " ").split()).casefold()


class State(Vocabulary):
    PROPOSED = "proposed"
    EVALUATED = "evaluated"
    RETIRED = "retired"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"
    WITHDRAWN = "withdrawn"


class Role(Vocabulary):
    STAFF = "staff"
    BOARD = "board"
    EXECUTIVE = "executive"
    ADMIN = "admin"


class AffectedRole(Vocabulary):
    PHYSICIAN = "physician"
    APP = "APP"
    NURSE = "nurse"
    MEDICAL_ASSISTANT = "medical assistant"
    PHARMACIST = "pharmacist"
    OTHER = "other"


class RequirementSource(Vocabulary):
    REGULATION = "regulation or accreditation"
    PAYER = "payer"
    INTERNAL_POLICY = "internal policy"
    EHR_BUILD = "EHR build or default"
    UNKNOWN = "unknown"


class Outcome(Vocabulary):
    """How a retired burden was resolved (docs/product.md, "Outcome of a retirement")."""

    REMOVED = "removed"
    REPLACED = "replaced"
    REDUCED = "reduced"
    RESTRICTED = "restricted"
    CLARIFIED = "clarified"


# What each outcome means, in the words the retire form and the reports use.
OUTCOME_MEANS = {
    Outcome.REMOVED: "the task, form, click or alert is gone",
    Outcome.REPLACED: "something lighter does its job",
    Outcome.REDUCED: "it is done less often, or takes less time",
    Outcome.RESTRICTED: "only the people or cases that need it still do it",
    Outcome.CLARIFIED: "it was required, or believed to be, and people were shown what is really needed",
}


class Actor(Vocabulary):
    """The capacity in which a person acted on a nomination: as its board, or as the person who submitted it.
    Events and comments store it, so that naming a person (naming.py) never has to guess it."""

    BOARD = "board"
    SUBMITTER = "submitter"


class TokenScope(Vocabulary):
    """What an API token may do with its owner's roles (/me/tokens): read only, or read and change."""

    READ = "read"
    WRITE = "write"


class WebhookEvent(Vocabulary):
    """What an endpoint registered on /admin/webhooks may be told of (services/webhooks.py announces them)."""

    NOMINATION_CREATED = "nomination.created"
    NOMINATION_MOVED = "nomination.moved"
    NOMINATION_REVISED = "nomination.revised"
    COMMENT_CREATED = "comment.created"
    QUARTER_CLOSED = "quarter.closed"


class WebhookFormat(Vocabulary):
    """What a webhook's body looks like: the Standard Webhooks JSON for programs, or a message a chat shows."""

    STANDARD = "standard"
    TEAMS = "teams"  # a Microsoft Teams Workflows webhook: an Adaptive Card
    SLACK = "slack"  # a Slack incoming webhook


class DeliveryOutcome(Vocabulary):
    PENDING = "pending"  # not yet answered with 2xx: tried again until WEBHOOK_WAITS run out
    DELIVERED = "delivered"
    GIVEN_UP = "given up"


class WorkbookState(Vocabulary):
    """A quarter's workbook written by the job queue (services/workbooks.py)."""

    QUEUED = "queued"  # waiting for a worker
    WRITING = "writing"
    READY = "ready"
    FAILED = "failed"


class NoticeEmail(Vocabulary):
    """How a person wants their notices by email (/me/settings)."""

    AT_ONCE = "at once"
    DAILY = "daily digest"
    WEEKLY = "weekly digest"
    NONE = "none"


class VoteChoice(Vocabulary):
    APPROVE = "approve"
    REJECT = "reject"
    ABSTAIN = "abstain"


class EventKind(Vocabulary):
    MOVED = "moved"
    IMPORTED = "imported"
    MERGED = "merged"
    REDACTED = "redacted"  # a board member replaced a stored text; the event names the field, never the text
    REVISED = "revised"  # the board changed the estimate or classification, with a reason (event_changes)
    EDITED = "edited"  # its submitter changed it while proposed (event_changes for all but the free text)
    COMMENT_HIDDEN = "comment hidden"  # a board member hid a comment; the reason goes to its author alone
    FILE_ADDED = "file added"  # an attachment; the event never names the file (its name may name a patient)
    FILE_RELEASED = "file released"  # a board member let everyone see it
    FILE_REMOVED = "file removed"  # its uploader or a board member took it away, bytes and name
    SCHEDULED = "scheduled"  # a board member gave it an owner or a due day from the queue (services/scheduling.py)
    ADMIN = "admin change"  # users, departments, categories or settings; nomination_id is NULL


class AuditKind(Vocabulary):
    """What a line of the security trail (audit.py) records."""

    SIGN_IN_OK = "sign-in ok"
    SIGN_IN_REFUSED = "sign-in refused"
    RATE_LIMITED = "rate limited"
    FORBIDDEN = "forbidden"
    CSRF_REFUSED = "csrf refused"
    SIGNED_OUT = "signed out"
    SESSION_EXPIRED = "session expired"
    INVITE_REFUSED = "invite refused"
    ADMIN_CHANGE = "admin change"
    RESET_ASKED = "password reset asked"
    PASSWORD_CHANGED = "password changed"
    SECOND_FACTOR = "second factor"
    API_TOKEN = "api token"  # made, revoked, or refused at /api/v1


DEFAULT_CATEGORIES = ("task", "form", "EHR click or alert", "documentation", "policy", "other")
