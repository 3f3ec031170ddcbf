"""The demo campaign has English texts, so `/en/` looks English; a few are left out on
purpose and show in Chinese, marked as Chinese."""

import re

import pytest

from campaigns.models import Activity, ThemeItem

pytestmark = pytest.mark.django_db


def test_the_english_demo_site_is_in_english_with_a_marked_chinese_fallback(client, demo_data):
    home = client.get("/en/").content.decode()
    assert re.search(r"<h1[^>]*>Quality Service Experience Season</h1>", home)
    assert "Network+" in home and "Inside the 5G network&#x27;s brain" in home
    # The Wuhan video reception has no English: its title shows in Chinese, marked.
    assert re.search(r'<a href="/en/activities/gm-reception-wuhan-video/" lang="zh-Hans">'
                     r"总经理接待日 · 武汉（视频接待）</a>", home)
    # So does an item without an English name.
    assert '<span lang="zh-Hans">港机远控</span>' in home

    page = client.get("/en/activities/5g-network-brain/").content.decode()
    assert "Network Operations Centre" in page and "Session 1" in page
    assert "Bring your own valid ID" in page
    assert "探秘5G网络大脑" not in page


def test_the_chinese_demo_site_is_unchanged(client, demo_data):
    home = client.get("/").content.decode()
    assert "探秘5G网络大脑" in home and "Inside the 5G network" not in home
    assert 'lang="zh-Hans"' not in home
    assert Activity.objects.get(slug="5g-network-brain").title == "探秘5G网络大脑"
    assert ThemeItem.objects.filter(name="港机远控", name_en=None).exists()
