import pytest
from django.utils import translation

from tests.factories import (
    AnalystFactory,
    CampaignManagerFactory,
    ModeratorRoleFactory,
    SessionFactory,
)


@pytest.fixture(autouse=True)
def _chinese_by_default():
    with translation.override("zh-hans"):
        yield


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
