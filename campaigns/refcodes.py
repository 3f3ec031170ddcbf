"""Short reference codes people read aloud or type from an SMS, and unguessable secrets.

The alphabet leaves out the look-alikes 0/O, 1/I/L, 2/Z, 5/S and 8/B entirely: what
remains cannot be confused on the phone or in a handwritten note.
"""

import hashlib
import secrets

ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 8


def generate_code(length: int = CODE_LENGTH) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def format_code(code: str) -> str:
    """'K7MXQ4PA' → 'K7MX-Q4PA' (grouped to be read aloud)."""
    if len(code) == CODE_LENGTH:
        return f"{code[:4]}-{code[4:]}"
    return code


def normalize_code(value: str) -> str:
    """What a person typed → the stored form: upper case, without spaces and dashes."""
    return "".join(ch for ch in str(value or "").upper() if ch.isalnum())


def generate_secret() -> tuple[str, str]:
    """A URL-safe secret for a link and the hash stored in its place."""
    token = secrets.token_urlsafe(32)
    return token, hash_secret(token)


def hash_secret(token: str) -> str:
    return hashlib.sha256(str(token).encode()).hexdigest()
