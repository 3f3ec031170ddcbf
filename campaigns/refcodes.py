"""Short reference codes people read aloud or type from an SMS, and unguessable secrets.

The alphabet leaves out the look-alikes 0/O, 1/I/L, 2/Z, 5/S and 8/B entirely: what
remains cannot be confused on the phone or in a handwritten note.
"""

import hashlib
import secrets

from django.db import connection

ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 8


def generate_code(length: int = CODE_LENGTH) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def code_in_use(code: str, *models) -> bool:
    """Whether any of `models` has a row with this `reference`: one small query, no ORM
    compilation (it runs on every signup and feedback post)."""
    tables = [connection.ops.quote_name(model._meta.db_table) for model in models]
    sql = " UNION ALL ".join(
        f"SELECT 1 FROM {table} WHERE reference = %s" for table in tables  # noqa: S608 (table names from models)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} LIMIT 1", [code] * len(tables))
        return cursor.fetchone() is not None


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
