from django.core.exceptions import ValidationError


class SignupError(ValidationError):
    """A signup rule said no; the message is translated and safe to show."""


class NotBookable(SignupError):
    """Outside the signup window, a past session, or the wrong kind of activity."""


class SessionFull(SignupError):
    """No places left and no room on the waiting list."""


class AlreadySignedUp(SignupError):
    """This phone number already has an active signup (or application) here."""
