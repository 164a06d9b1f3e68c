"""Domain errors shared by the apps. Each carries a translated, human-readable message."""


class DomainError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Conflict(DomainError):
    """The object's current state does not allow the action (HTTP 409)."""


class Forbidden(DomainError):
    """The user may do this in general, but not to this object (HTTP 403)."""
