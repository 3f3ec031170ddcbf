"""Every write the campaign domain knows, one transaction each (the shape is described in
docs/architecture.md), and the predicates the pages use to offer only what they accept."""

from .applications import (
    application_review,
    application_submit,
    application_withdraw,
    can_withdraw,
)
from .audit import audit_record
from .errors import (
    AlreadySignedUp,
    DomainError,
    NotBookable,
    SessionFull,
    SignupError,
)
from .privacy import can_erase, personal_data_erase, personal_data_purge
from .reception import reception_check, reception_update
from .signups import (
    can_cancel,
    signup_cancel,
    signup_confirm,
    signup_create,
    signup_mark_attendance,
    waitlist_promote,
)

__all__ = [
    "AlreadySignedUp",
    "DomainError",
    "NotBookable",
    "SessionFull",
    "SignupError",
    "application_review",
    "application_submit",
    "application_withdraw",
    "audit_record",
    "can_cancel",
    "can_erase",
    "can_withdraw",
    "personal_data_erase",
    "personal_data_purge",
    "reception_check",
    "reception_update",
    "signup_cancel",
    "signup_confirm",
    "signup_create",
    "signup_mark_attendance",
    "waitlist_promote",
]
