"""What a worker would otherwise do on its first requests, done once in the gunicorn master
before it forks workers (`preload_app`, config/gunicorn.conf.py): the URL patterns of every
language, the translation catalogs, every template of the site compiled. A worker, new or
recycled, is then a fork of a warm master and answers its first request at full speed.

Nothing here touches the database; the master closes every connection anyway, so that no
worker inherits a socket another process also uses.

Last, the master's objects are frozen out of the garbage collector (`gc.freeze()`, as Python's
documentation advises before forking): otherwise a worker's first full collection walks every
object it inherited, writing to each one's page, and the kernel copies the whole heap while a
request waits.
"""

import gc
import logging
import os
import time

from django.conf import settings
from django.db import connections
from django.template import TemplateSyntaxError, engines
from django.template.autoreload import get_template_directories
from django.urls import get_resolver
from django.utils import translation

logger = logging.getLogger(__name__)

TEMPLATE_SUFFIXES = (".html", ".txt")


def warm_up() -> None:
    started = time.perf_counter()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            get_resolver().reverse_dict  # noqa: B018 (populates the patterns of this language)
    compiled = sum(_compile(directory) for directory in get_template_directories())
    connections.close_all()
    gc.collect()
    gc.freeze()
    logger.info("warmed up: %d templates in %.0f ms", compiled,
                (time.perf_counter() - started) * 1000)


def _compile(directory) -> int:
    engine = engines["django"]
    count = 0
    for root, _dirs, files in os.walk(directory):
        for name in files:
            if not name.endswith(TEMPLATE_SUFFIXES):
                continue
            relative = os.path.relpath(os.path.join(root, name), directory)
            try:
                engine.get_template(relative)
            except TemplateSyntaxError:  # a template for another engine or pack: not ours
                continue
            count += 1
    return count
