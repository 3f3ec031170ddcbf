"""Read what the site's own log handler writes (the "console" handler of settings.LOGGING)."""

import json
import logging
from contextlib import contextmanager
from io import StringIO

from config.observability import JsonFormatter


@contextmanager
def console_output(*, json_lines: bool = False):
    """Yield a StringIO that receives what the console handler writes meanwhile."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    stream = StringIO()
    old_stream = handler.setStream(stream)
    old_formatter = handler.formatter
    if json_lines:
        handler.setFormatter(JsonFormatter())
    try:
        yield stream
    finally:
        handler.setStream(old_stream)
        handler.setFormatter(old_formatter)


def json_records(stream: StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]
