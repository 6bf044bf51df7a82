"""Domain errors: raised by services, worded for the person who caused them."""


def as_sentence(message: str) -> str:
    """How a field's message is shown beside it: a sentence, its first letter capital and the rest as written."""
    return message[:1].upper() + message[1:]


class DomainError(Exception):
    """Something a person asked for that the rules refuse."""

    def __init__(self, message: str, *, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class MoveRefused(DomainError):
    """The move is not allowed from this state, for this person, or without its fields."""


class StaleVersion(DomainError):
    """Someone else changed the nomination since the person loaded it."""


class NotFound(DomainError):
    pass


class NotYours(DomainError):
    """A board member asked to decide for a site they do not decide for."""
