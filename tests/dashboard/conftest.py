import datetime

import pytest
from django.utils import translation

from tests.factories import (
    ActivityFactory,
    AnalystFactory,
    CampaignManagerFactory,
    ModeratorRoleFactory,
    SessionFactory,
    ThemeFactory,
)

# A fixed clock: 2026-11-20 10:00 Asia/Shanghai.
NOW = datetime.datetime(2026, 11, 20, 2, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _chinese_by_default():
    with translation.override("zh-hans"):
        yield


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
def activity(theme):
    activity = ActivityFactory(campaign=theme.campaign, title="探秘5G网络大脑", slug="5g-brain")
    activity.themes.add(theme)
    return activity


@pytest.fixture
def session(activity):
    return SessionFactory(activity=activity, title="上午场", city="北京", capacity=10)


@pytest.fixture
def manager(db):
    return CampaignManagerFactory(username="manager")


@pytest.fixture
def moderator(db):
    return ModeratorRoleFactory(username="moderator")


@pytest.fixture
def analyst(db):
    return AnalystFactory(username="analyst")


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login
