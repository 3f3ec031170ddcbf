"""Every public page answers an anonymous visitor, in Chinese at / and English at /en/."""

import pytest
from django.urls import reverse
from django.utils import translation

from campaigns.models import Activity
from tests.factories import ActivityFactory, OfficerQuotaFactory, SessionFactory, ThemeItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(db):
    item = ThemeItemFactory(name="5G网络")
    activity = ActivityFactory(campaign=item.theme.campaign, title="探秘5G网络大脑")
    activity.themes.add(item.theme)
    SessionFactory(activity=activity, city="北京", venue="网络运营中心", capacity=30)
    return activity


def test_home_shows_campaign_themes_kinds_and_sessions(client, published):
    response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "优质服务体验季" in page and "心级服务，优+体验" in page
    assert "5G网络" in page
    for kind in Activity.Kind:
        assert str(kind.label) in page
    assert "探秘5G网络大脑" in page
    assert "剩余 30 个名额" in page
    assert reverse("campaigns:activity_list") in page


def test_home_in_english(client, published):
    response = client.get("/en/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'lang="en"' in page
    assert "Open Day" in page or "Visit China Mobile" in page


def test_activity_list_filters_by_kind_and_city(client, db):
    beijing = SessionFactory(city="北京").activity
    shanghai = SessionFactory(city="上海").activity
    online = SessionFactory(is_online=True, city="", venue="").activity
    gm = SessionFactory(activity__kind=Activity.Kind.GM_RECEPTION, city="广州").activity
    officer = OfficerQuotaFactory(city="杭州").activity

    def titles(query):
        return {a.title for a in client.get("/activities/", query).context["activities"]}

    assert titles({}) == {a.title for a in (beijing, shanghai, online, gm, officer)}
    assert titles({"city": "110100"}) == {beijing.title}  # 北京市
    assert titles({"city": "330100"}) == {officer.title}  # 杭州市
    assert titles({"city": "online"}) == {online.title}
    assert titles({"kind": "gm_reception"}) == {gm.title}
    assert titles({"kind": "open_day", "city": "310100"}) == {shanghai.title}


def test_activity_list_with_unknown_filter_values_still_answers(client, published):
    response = client.get("/activities/", {"kind": "<script>", "city": "x" * 500})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()
    assert list(response.context["activities"]) == [published]


def test_activity_detail_shows_description_rules_and_sessions(client, published):
    response = client.get(published.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    for text in (published.description, published.eligibility, published.rules, "网络运营中心"):
        assert text in page


def test_officer_activity_shows_city_quotas(client, db):
    quota = OfficerQuotaFactory(city="成都", places=20)
    page = client.get(quota.activity.get_absolute_url()).content.decode()
    assert "成都" in page and "20 名" in page


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize("path", ["/", "/activities/", "/privacy/", "/privacy/2026-11/"])
def test_pages_answer_in_both_languages(client, published, prefix, path):
    response = client.get(prefix + path)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == ("en" if prefix else "zh-hans")


def test_privacy_notice_states_version_retention_and_deletion(client, db):
    page = client.get("/privacy/").content.decode()
    assert "2026-11" in page
    assert "180天" in page
    assert "删除" in page


def test_unknown_privacy_version_is_404(client, db):
    assert client.get("/privacy/1999-01/").status_code == 404


def test_language_switch_links_to_the_same_page_in_the_other_language(client, published):
    with translation.override("zh-hans"):
        detail = published.get_absolute_url()
    chinese = client.get(detail + "?x=1").content.decode()
    assert f'href="/en{detail}?x=1" lang="en"' in chinese
    english = client.get("/en" + detail).content.decode()
    assert f'href="{detail}" lang="zh-hans"' in english
