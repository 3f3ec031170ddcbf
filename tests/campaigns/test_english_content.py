"""The English site shows the campaign's content in English where staff wrote it, and the
Chinese, marked lang="zh-Hans" for screen readers, where they did not."""

import re

import pytest
from django.test import override_settings
from django.utils import translation

from campaigns import services
from campaigns.content import falls_back
from tests.factories import (
    ActivityFactory,
    CampaignFactory,
    SessionFactory,
    ThemeFactory,
    ThemeItemFactory,
)

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture
def campaign():
    return CampaignFactory(
        title_en="Quality Service Experience Season", slogan_en="Service from the heart",
        intro_en="China Mobile's season of service.",
    )


@pytest.fixture
def activity(campaign):
    theme = ThemeFactory(campaign=campaign, name="优+网络", name_en="Network+",
                         tagline="覆盖广、上网快", tagline_en="")
    ThemeItemFactory(theme=theme, name="5G网络", name_en="5G network")
    ThemeItemFactory(theme=theme, name="千兆宽带")  # no English name
    activity = ActivityFactory(
        campaign=campaign, slug="5g-brain",
        title="探秘5G网络大脑", title_en="Inside the 5G network's brain",
        summary="走进网络运营中心。", summary_en="Step into the operations centre.",
        description="参观网络运营中心大屏。", description_en="",
        eligibility="面向所有客户开放。", eligibility_en="Open to every customer.",
        rules="机房禁止拍照。", rules_en="No photos in the machine rooms.",
    )
    activity.themes.add(theme)
    SessionFactory(activity=activity, title="第一场", title_en="Session 1",
                   venue="网络运营中心", venue_en="")
    return activity


def element(html: str, tag: str, text: str) -> str:
    """The opening tag of the `tag` element whose content starts with `text`."""
    match = re.search(rf"<{tag}\b[^>]*>\s*{re.escape(text)}", html)
    assert match, f"no <{tag}> with {text!r}"
    return match.group(0)


def test_the_english_page_shows_the_english_texts(client, activity):
    html = client.get("/en/activities/5g-brain/").content.decode()
    assert "<h1 class=\"h2\">Inside the 5G network&#x27;s brain</h1>" in html
    assert "Step into the operations centre." in html
    assert "Open to every customer." in html
    assert "No photos in the machine rooms." in html
    assert "Session 1" in html
    assert "探秘5G网络大脑" not in html and "走进网络运营中心" not in html


def test_a_text_without_english_shows_the_chinese_marked_as_chinese(client, activity):
    html = client.get("/en/activities/5g-brain/").content.decode()
    assert 'lang="zh-Hans"' in element(html, "div", "<p>参观网络运营中心大屏。")
    assert '<span lang="zh-Hans">网络运营中心</span>' in html  # the venue
    assert "lang" not in element(html, "h1", "Inside")  # English is not marked
    assert "lang" not in element(html, "span", "Network+")


def test_the_chinese_page_shows_the_chinese_texts_unmarked(client, activity):
    html = client.get("/activities/5g-brain/").content.decode()
    assert '<h1 class="h2">探秘5G网络大脑</h1>' in html
    assert "参观网络运营中心大屏。" in html and "网络运营中心" in html
    assert "Inside the 5G network" not in html and "Session 1" not in html
    assert 'lang="zh-Hans"' not in html


def test_the_english_home_page_names_themes_items_and_the_campaign_in_english(client, activity):
    html = client.get("/en/").content.decode()
    assert "lang" not in element(html, "h1", "Quality Service Experience Season")
    assert "lang" not in element(html, "h3", "Network+")
    assert "5G network" in html
    assert '<span lang="zh-Hans">千兆宽带</span>' in html
    assert 'lang="zh-Hans"' in element(html, "p", "覆盖广、上网快")  # the tagline
    assert "Step into the operations centre." in html


def test_a_site_all_in_english_has_no_chinese_left_on_the_english_pages(client, activity):
    activity.description_en = "See the video wall."
    activity.save(update_fields=["description_en"])
    session = activity.sessions.get()
    session.venue_en = "Operations centre"
    session.save(update_fields=["venue_en"])
    activity.campaign.pledge_en = "We care."
    activity.campaign.save(update_fields=["pledge_en"])
    theme = activity.themes.get()
    theme.tagline_en = "Wide coverage"
    theme.save(update_fields=["tagline_en"])
    theme.items.filter(name_en=None).update(name_en="Gigabit broadband")
    for path in ("/en/", "/en/activities/", "/en/activities/5g-brain/"):
        html = client.get(path).content.decode()
        assert 'lang="zh-Hans"' not in html, path
        main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
        assert not CJK.search(main), (path, CJK.findall(main)[:10])


def test_falls_back_only_on_the_english_site_and_only_where_english_is_missing(activity):
    assert not falls_back(activity, "description")  # the Chinese page shows Chinese anyway
    with translation.override("en"):
        assert falls_back(activity, "description")
        assert not falls_back(activity, "title")
        assert not falls_back(activity, "slug")  # not a translated field
        assert not falls_back(activity.sessions.get().region, "name")  # not translated either
    activity.eligibility = ""
    activity.eligibility_en = ""
    with translation.override("en"):
        assert not falls_back(activity, "eligibility")  # nothing to show in either language


def test_the_english_title_reads_from_the_model_with_the_chinese_as_fallback(activity):
    with translation.override("en"):
        assert activity.title == "Inside the 5G network's brain"
        assert activity.description == "参观网络运营中心大屏。"
        assert str(activity) == "Inside the 5G network's brain"
    assert activity.title == "探秘5G网络大脑"


@override_settings(PUBLIC_PAGE_CACHE_LOCAL_SECONDS=60)
@pytest.mark.parametrize("first", ["/en/activities/5g-brain/", "/activities/5g-brain/"])
def test_the_page_cache_never_serves_one_language_to_the_other(client, activity, first):
    other = "/activities/5g-brain/" if first.startswith("/en/") else "/en/activities/5g-brain/"
    client.get(first)
    client.get(other)
    english = client.get("/en/activities/5g-brain/").content.decode()
    chinese = client.get("/activities/5g-brain/").content.decode()
    assert "Inside the 5G network&#x27;s brain</h1>" in english
    assert "探秘5G网络大脑</h1>" in chinese and "Inside the 5G network" not in chinese


def test_the_feedback_form_offers_activities_and_themes_in_english(client, activity):
    ActivityFactory(campaign=activity.campaign, title="数据中心开放日", slug="idc")
    ThemeFactory(campaign=activity.campaign, name="优+服务", order=5)
    html = client.get("/en/feedback/new/").content.decode()
    english = re.search(r"<option value=\"\d+\"([^>]*)>Inside the 5G network&#x27;s brain<", html)
    assert english and "lang" not in english.group(1)
    fallback = re.search(r"<option value=\"\d+\"([^>]*)>数据中心开放日</option>", html)
    assert fallback and 'lang="zh-Hans"' in fallback.group(1)
    assert re.search(r"<label for=\"id_theme_\d\">Network\+</label>", html)
    assert re.search(r"<label for=\"id_theme_\d\"><span lang=\"zh-Hans\">优\+服务</span></label>",
                     html)


def test_the_officer_application_form_names_products_and_themes_in_english(client, activity):
    officers = ActivityFactory(campaign=activity.campaign, kind="officer", slug="officers")
    html = client.get(f"/en/activities/{officers.slug}/apply/").content.decode()
    assert re.search(r">\s*5G network\s*</label>", html)
    assert '<span lang="zh-Hans">千兆宽带</span>' in html
    assert re.search(r"<option value=\"\d+\"(?![^>]*lang)[^>]*>Network\+</option>", html)


def test_a_text_message_quotes_the_chinese_title_even_when_queued_in_english(
    activity, sms_outbox, django_capture_on_commit_callbacks
):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.signup_create(session=activity.sessions.get(), name="王小明",
                               phone="13800138000", rules_accepted=True, language="en")
    [message] = [m for m in sms_outbox if m.kind == "signup_confirmed"]
    assert "探秘5G网络大脑" in message.text and "Inside" not in message.text
