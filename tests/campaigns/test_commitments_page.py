"""服务承诺: the commitments as the campaign's seed article tells them, linked from every page.

All eight 八项承诺 of "诚信服务 满意100" (the 48-hour one leads to the live scoreboard), the
六项服务举措 of the 4G era and the 三全 service system; in English on /en/; cached like the other
public pages. The 优+产品 theme names the 5G industry applications of the article.
"""

import re

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from campaigns.models import ThemeItem
from tests.factories import CampaignFactory, ThemeItemFactory

pytestmark = pytest.mark.django_db

URL = "/commitments/"
EIGHT = [
    "全面启用新版入网协议", "资费信息清晰透明", "收费误差，双倍返还", "全面实施服务定制客户确认",
    "48小时首次回复客户投诉", "业务办理“免填单”和“一台清”和自助服务电子化", "先提醒，后停机",
    "专线受理不良信息举报",
]
SIX = ["4G网络，全新体验", "流量资费，实惠简明", "订购收费，清晰透明", "不良信息，严厉打击",
       "实名登记，严格落实", "星级服务，便捷提供"]


def section(html: str, heading_id: str) -> str:
    start = html.index(f'aria-labelledby="{heading_id}"')
    return html[start:html.index("</section>", start)]


def items(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", li).strip() for li in re.findall(r"<li>(.*?)</li>", html)]


def test_the_page_lives_at_commitments():
    assert reverse("campaigns:commitments") == URL


def test_all_eight_commitments_in_order_the_48_hour_one_links_to_the_scoreboard(client):
    html = client.get(URL).content.decode()
    assert "<h1" in html and "服务承诺</h1>" in html
    eight = section(html, "eight-heading")
    assert "<ol" in eight and "“诚信服务 满意100”八项承诺" in eight
    listed = items(eight)
    assert len(listed) == 8
    for text, expected in zip(listed, EIGHT, strict=True):
        assert text.startswith(expected)
    scoreboard = reverse("feedback:commitment")
    assert re.search(rf'<a href="{scoreboard}">48小时首次回复客户投诉</a>', eight)


def test_the_six_measures_and_the_three_alls(client):
    html = client.get(URL).content.decode()
    assert items(section(html, "six-heading")) == SIX
    three = section(html, "three-heading")
    assert items(three) == ["全方位", "全过程", "全员"] and "“三全”服务体系" in three


def test_the_campaigns_pledge_closes_the_page(client):
    CampaignFactory(pledge="50万员工将通过“专心、精心、爱心”的工作，为客户提供“舒心、贴心、暖心”的服务。")
    html = client.get(URL).content.decode()
    assert "中国移动郑重承诺" in html and "“舒心、贴心、暖心”" in html


@pytest.mark.parametrize("path", ["/", "/activities/", "/feedback/", "/privacy/"])
def test_every_page_links_to_it_from_the_footer(client, path):
    footer = client.get(path).content.decode().split('<footer', 1)[1]
    assert f'<a href="{URL}">全部服务承诺</a>' in footer


def test_the_scoreboard_and_the_home_page_link_to_it(client):
    CampaignFactory()
    assert f'href="{URL}"' in client.get(reverse("feedback:commitment")).content.decode()
    home = client.get("/").content.decode()
    assert home.count(f'href="{URL}"') == 2  # the 48-hour headline and the footer


def test_english_page_in_english(client):
    html = client.get("/en" + URL).content.decode()
    assert 'lang="en"' in html
    for text in ["A new customer agreement, used everywhere", "Six service measures of the 4G era",
                 "Real-name registration: strictly applied", "All staff"]:
        assert text in html
    main = html.split('<main', 1)[1].split("</main>", 1)[0]
    assert not re.search(r"[\u4e00-\u9fff]", re.sub(r"<[^>]+>", " ", main))
    assert 'href="/en/feedback/commitment/"' in main


def test_the_page_is_cached_like_the_other_public_pages(client, django_assert_num_queries):
    CampaignFactory()
    with override_settings(PUBLIC_PAGE_CACHE_LOCAL_SECONDS=60):
        first = client.get(URL).content
        with django_assert_num_queries(0):
            assert client.get(URL).content == first


def test_the_demo_product_theme_lists_the_articles_5g_industry_applications(client, demo_data):
    names = set(ThemeItem.objects.filter(theme__slug="you-product").values_list("name", flat=True))
    assert {"5G机器视觉", "无人天车", "港机远控"} <= names
    assert "5G行业应用" not in names  # the one catch-all item the applications replace
    home = client.get("/").content.decode()
    assert "5G机器视觉" in home and "无人天车" in home and "港机远控" in home


def test_loading_the_demo_again_replaces_the_old_catch_all_item(demo_data):
    product = ThemeItem.objects.get(name="5G机器视觉").theme
    ThemeItemFactory(theme=product, name="5G行业应用")
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not ThemeItem.objects.filter(theme=product, name="5G行业应用").exists()
