import datetime

import pytest

from tests.factories import ActivityFactory, ModeratorFactory, ThemeFactory, ThemeItemFactory

# A fixed clock for the 48-hour tests: 2026-11-20 10:00 Asia/Shanghai.
NOW = datetime.datetime(2026, 11, 20, 2, 0, tzinfo=datetime.UTC)


@pytest.fixture
def now():
    return NOW


@pytest.fixture
def theme(db):
    return ThemeFactory(name="优+网络", slug="you-network")


@pytest.fixture
def other_theme(theme):
    return ThemeFactory(campaign=theme.campaign, name="优+服务", slug="you-service")


@pytest.fixture
def item(theme):
    return ThemeItemFactory(theme=theme, name="5G网络")


@pytest.fixture
def activity(theme):
    activity = ActivityFactory(campaign=theme.campaign, title="探秘5G网络大脑", slug="5g-brain")
    activity.themes.add(theme)
    return activity


@pytest.fixture
def moderator(db):
    return ModeratorFactory(username="moderator", email="mod@example.com")


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


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


@pytest.fixture
def form_data(theme, activity):
    """A valid POST for /feedback/new/."""
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
