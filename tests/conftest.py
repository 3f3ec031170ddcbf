import datetime

import pytest
from django.core.management import call_command

from campaigns.management.commands.compile_translations import compile_translations


def pytest_configure(config):
    # Tests render both languages: make sure the .mo files match the .po files.
    compile_translations()


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache (rate limits, cached pages)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language: a request to /en/ activates English in this
    thread, and code outside a request (services, tasks, emails) must not inherit it. (Not
    through the `settings` fixture: set up before a module's own overrides, it would restore
    their values after they ended.)"""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def sms_outbox():
    """The text messages sent during the test (the locmem SMS backend), oldest first."""
    from campaigns.sms.backends import outbox

    outbox.clear()
    yield outbox
    outbox.clear()


def code_sent_to(outbox, phone: str) -> str:
    """The latest SMS verification code sent to `phone` (as the person reads it)."""
    codes = [m.params["code"] for m in outbox if m.kind == "code" and m.phone == phone]
    assert codes, f"no code was sent to {phone[:3]}…"
    return codes[-1]


@pytest.fixture
def sms_verify(settings):
    """Signups, bookings, applications and feedback asking for a reply need an SMS code, as
    in production."""
    settings.SMS_VERIFY = True


@pytest.fixture
def staff_client(client, django_user_model):
    from tests.factories import StaffFactory

    client.force_login(StaffFactory())
    return client


@pytest.fixture
def demo_data(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def database_queue(settings):
    """Tasks go to the database queue (as in development) instead of running at once.

    Tests that also run the worker need `django_db(transaction=True)`: the worker manages
    its own transactions and connections, as in its own process.
    """
    settings.TASKS = DATABASE_QUEUE


def run_worker() -> str:
    """`manage.py db_worker --batch`: run every task that is due, then return its output."""
    from io import StringIO

    out = StringIO()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=out)
    return out.getvalue()


# --- Shared by the feedback and dashboard tests -----------------------------------------

# A fixed clock for the 48-hour tests: 2026-11-20 10:00 Asia/Shanghai.
NOW = datetime.datetime(2026, 11, 20, 2, 0, tzinfo=datetime.UTC)


@pytest.fixture
def now():
    return NOW


@pytest.fixture
def theme(db):
    from tests.factories import ThemeFactory

    return ThemeFactory(name="优+网络", slug="you-network")


@pytest.fixture
def other_theme(theme):
    from tests.factories import ThemeFactory

    return ThemeFactory(campaign=theme.campaign, name="优+服务", slug="you-service")


@pytest.fixture
def activity(theme):
    from tests.factories import ActivityFactory

    activity = ActivityFactory(campaign=theme.campaign, title="探秘5G网络大脑", slug="5g-brain")
    activity.themes.add(theme)
    return activity


@pytest.fixture
def form_data(theme, activity):
    """A valid POST for /feedback/new/ (the public feedback form)."""
    return {
        "activity": str(activity.pk),
        "theme": str(theme.pk),
        "kind": "suggestion",
        "overall_score": "8",
        "recommend_score": "9",
        "comment": "讲解很专业,希望多开几场。",
        "score_network": "9",
        "score_organisation": "",
    }


@pytest.fixture
def submit(theme):
    """Call feedback_submit with sensible defaults; keyword arguments override them."""
    from feedback.services import feedback_submit

    def _submit(**overrides):
        values = {
            "theme": theme,
            "kind": "suggestion",
            "overall_score": 8,
            "recommend_score": 9,
            "comment": "网络很稳定,希望地下车库信号再好一些。",
        }
        values.update(overrides)
        return feedback_submit(**values)

    return _submit
