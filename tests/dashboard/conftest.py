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


@pytest.fixture
def copies(monkeypatch):
    """The COPY statements run (spied on, not replaced)."""
    calls = []
    from feedback.reporting import copy_export

    real = copy_export.copy_csv_chunks

    def spy(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(copy_export, "copy_csv_chunks", spy)
    return calls
