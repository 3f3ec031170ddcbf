import pytest

from tests.factories import ModeratorFactory, ThemeItemFactory


@pytest.fixture
def item(theme):
    return ThemeItemFactory(theme=theme, name="5G网络")


@pytest.fixture
def moderator(db):
    return ModeratorFactory(username="moderator", email="mod@example.com")


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client
