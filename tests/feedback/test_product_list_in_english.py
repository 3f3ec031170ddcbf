"""The feedback form's product list on /en/: products and their themes (the option groups)
in English where staff named them so, in Chinese marked lang="zh-Hans" where they did not;
on the Chinese form, Chinese and unmarked."""

import re

import pytest

from tests.factories import CampaignFactory, ThemeFactory, ThemeItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def products():
    campaign = CampaignFactory()
    network = ThemeFactory(campaign=campaign, name="优+网络", name_en="Network+", order=1)
    service = ThemeFactory(campaign=campaign, name="优+服务", order=2)  # no English
    return {
        "english": ThemeItemFactory(theme=network, name="5G网络", name_en="5G network"),
        "chinese": ThemeItemFactory(theme=network, name="千兆宽带"),  # no English
        "other": ThemeItemFactory(theme=service, name="营业厅服务", name_en="In-store service"),
    }


def product_select(client, path: str) -> str:
    html = client.get(path).content.decode()
    return re.search(r'<select name="theme_item".*?</select>', html, re.S).group(0)


def test_products_are_offered_in_english_and_the_chinese_ones_are_marked(client, products):
    select = product_select(client, "/en/feedback/new/")
    english, chinese, other = products["english"], products["chinese"], products["other"]
    assert f'<option value="{english.pk}">5G network</option>' in select
    assert f'<option value="{chinese.pk}" lang="zh-Hans">千兆宽带</option>' in select
    assert f'<option value="{other.pk}">In-store service</option>' in select
    assert '<optgroup label="Network+">' in select
    assert '<optgroup label="优+服务" lang="zh-Hans">' in select
    assert "5G网络" not in select and "营业厅服务" not in select and "优+网络" not in select
    assert "style=" not in select and "<script" not in select


def test_the_chinese_form_lists_the_products_in_chinese_unmarked(client, products):
    select = product_select(client, "/feedback/new/")
    assert "5G网络" in select and "千兆宽带" in select and "营业厅服务" in select
    assert '<optgroup label="优+网络">' in select and '<optgroup label="优+服务">' in select
    assert "lang=" not in select
    assert "5G network" not in select and "Network+" not in select
