"""Domain errors: each names the rule that was broken and carries a catalogue key for the user."""


class DomainError(Exception):
    """Base for rule violations; `key` is looked up in the message catalogue."""

    key = "error.generic"

    def __init__(self, key: str | None = None, **params: object) -> None:
        super().__init__(key or self.key)
        if key:
            self.key = key
        self.params = params


class NotAllowed(DomainError):
    key = "error.not_allowed"


class NotEntitled(NotAllowed):
    """The person may not take part in this (a vote they are not entitled to): refused, yet shown the card."""

    key = "votes.not_entitled"


class NotFound(DomainError):
    key = "error.not_found"


class Conflict(DomainError):
    """Someone else changed the same thing first."""

    key = "error.conflict"


class InvalidInput(DomainError):
    key = "error.invalid_input"
