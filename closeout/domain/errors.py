"""Errors a user can cause, each with a message written for that user."""


class DomainError(Exception):
    """A refusal the user can act on; `message` is shown as it is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidInput(DomainError):
    """A value that fails validation; `field` names the input it belongs next to."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class NotFound(DomainError):
    """The thing does not exist, or the acting user may not see it (same answer)."""


class NotAllowed(DomainError):
    """The action is refused in the case's current status."""
