"""An operator finds every environment variable the site reads in .env.example, and no other."""

import re

from .conftest import BASE_DIR

READERS = re.compile(r"""(?:os\.environ\.get|env_bool|env_list)\(\s*["']([A-Z0-9_]+)["']""")


def variables_read() -> set[str]:
    names = set()
    for path in ("config/settings.py", "config/gunicorn.conf.py"):
        names |= set(READERS.findall((BASE_DIR / path).read_text()))
    # dj_database_url.config() reads DATABASE_URL without naming it.
    return names | {"DATABASE_URL"}


def variables_documented() -> set[str]:
    text = (BASE_DIR / ".env.example").read_text()
    return set(re.findall(r"^([A-Z0-9_]+)=", text, flags=re.M))


def test_env_example_lists_exactly_the_variables_the_settings_read():
    read = variables_read()
    assert {"DJANGO_SECRET_KEY", "REDIS_URL", "GUNICORN_WORKERS"} <= read  # the scan works
    assert variables_documented() == read
