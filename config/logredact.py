"""Secrets and personal data never reach a log line (PIPL; the self-service link is a key).

One hook for every log record of the process — Django's request warnings, the rate-limit
and task logs, gunicorn's access log (it logs through `logging` in the worker): the record
factory below writes each record's message with the secret parts replaced:

- the token of a self-service link: `/my/link/<token>/` → `/my/link/[redacted]/`;
- a reference code in a self-service path or a `ref=` parameter: `/my/K7MX-Q4PA/cancel/` →
  `/my/[ref]/cancel/`, `/signup/done/[ref]/`;
- mainland mobile numbers (also with +86 and spaces or dashes) → `138****5678`.

Installed once by config/settings.py, so it is in place before anything logs.
"""

import logging
import re

_TOKEN_PATH = re.compile(r"(/my/link/)[^/\s?#\"']+")
_REFERENCE_PATH = re.compile(r"(/(?:my|signup/done)/)(?!link/)[A-Za-z0-9-]{4,20}(?=[/?#\s\"']|$)")
_REFERENCE_PARAM = re.compile(r"((?:\?|&|\b)ref(?:erence)?=)[^&\s\"']+", re.IGNORECASE)
_MOBILE = re.compile(r"(?<!\d)((?:\+?86[\s-]?)?)(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)")


# Matches wherever one of the patterns above could (every match of theirs contains one of
# these), so that a line with nothing to redact, such as every request's, costs one search.
_MAYBE = re.compile(r"1[3-9]\d[\s-]?\d{4}|/my/|/signup/done/|ref", re.IGNORECASE)


def redact(text: str) -> str:
    if not _MAYBE.search(text):
        return text
    text = _TOKEN_PATH.sub(r"\1[redacted]", text)
    text = _REFERENCE_PATH.sub(r"\1[ref]", text)
    text = _REFERENCE_PARAM.sub(r"\1[ref]", text)
    return _MOBILE.sub(lambda m: f"{m.group(1)}{m.group(2)}****{m.group(4)}", text)


def install_log_redaction() -> None:
    """Make every log record carry its message already redacted (idempotent)."""
    make_record = logging.getLogRecordFactory()
    if getattr(make_record, "redacts", False):
        return

    def redacting_record(*args, **kwargs):
        record = make_record(*args, **kwargs)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed call: leave it to logging to report
            return record
        record.msg, record.args = redact(message), ()
        return record

    redacting_record.redacts = True
    logging.setLogRecordFactory(redacting_record)
