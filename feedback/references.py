"""Short reference codes people can read out and type: no 0/O, 1/I/L or other look-alikes."""

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8
_NOT_IN_CODE = re.compile(r"[\s\-]")


def generate_reference(length: int = LENGTH) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalize_reference(value: str) -> str:
    """What a person typed → the stored form: upper case, no spaces or dashes."""
    return _NOT_IN_CODE.sub("", (value or "")).upper()


def looks_like_reference(value: str, length: int = LENGTH) -> bool:
    return len(value) == length and all(char in ALPHABET for char in value)
