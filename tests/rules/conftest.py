"""Shared by the tests that check each business rule is applied alike wherever it is used."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _chinese_by_default():
    """Services and exporters called outside a request speak the site's default language,
    whatever an earlier test's English request left active in this thread."""
    with translation.override("zh-hans"):
        yield
