"""Domain errors: the one error style of every service, in both apps.

A service that refuses raises a `DomainError` (or a subclass) with a translated message that
is safe to show, a `code` that tests and callers can test for, and, where the refusal is
about one field of what the person typed, that `field`. `attach_error()` puts it on a form:
next to the field when the form has it, above the form otherwise.
"""

from django.core.exceptions import ValidationError


class DomainError(ValidationError):
    """A rule said no. `message` may also be a dict {field: DomainError} for several field
    errors found at once (they then keep their own codes)."""

    def __init__(self, message, *, code: str, field: str | None = None, params=None):
        self.field = field
        if isinstance(message, dict):
            super().__init__(message)
        elif field:
            super().__init__({field: [ValidationError(message, code=code, params=params)]})
        else:
            super().__init__(message, code=code, params=params)
        self.code = code


def attach_error(form, error: ValidationError) -> None:
    """Show a service's refusal on the form (a field's errors next to it when it has one)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class SignupError(DomainError):
    """A signup rule said no."""


class NotBookable(SignupError):
    """Outside the signup window, a past session, or the wrong kind of activity."""


class SessionFull(SignupError):
    """No places left and no room on the waiting list."""


class AlreadySignedUp(SignupError):
    """This phone number already has an active signup (or application) here."""


__all__ = [
    "AlreadySignedUp",
    "DomainError",
    "NotBookable",
    "SessionFull",
    "SignupError",
    "attach_error",
]
