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
