"""Every write the campaign domain knows, one transaction each (see STYLE.md)."""

from .applications import (
    application_review,
    application_submit,
    application_withdraw,
)
from .audit import audit_record
from .errors import (
    AlreadySignedUp,
    NotBookable,
    SessionFull,
    SignupError,
)
from .privacy import can_erase, personal_data_erase
from .reception import reception_check, reception_update
from .signups import (
    signup_cancel,
    signup_confirm,
    signup_create,
    signup_mark_attendance,
    waitlist_promote,
)

__all__ = [
    "AlreadySignedUp",
    "NotBookable",
    "SessionFull",
    "SignupError",
    "application_review",
    "application_submit",
    "application_withdraw",
    "audit_record",
    "can_erase",
    "personal_data_erase",
    "reception_check",
    "reception_update",
    "signup_cancel",
    "signup_confirm",
    "signup_create",
    "signup_mark_attendance",
    "waitlist_promote",
]
