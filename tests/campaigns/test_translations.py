"""The Chinese site shows no stray English, the English site no stray Chinese.

Data typed by staff (titles, venues) is in Chinese, with English beside it where staff gave
it (campaigns/translation.py); these tests give every text in the page's own language, so
anything foreign on the page came from a template or code that was not translated. (A text
without English shows in Chinese on the English site: tests/campaigns/test_english_content.py.)
"""

import re
from html.parser import HTMLParser

import polib
import pytest
from django.conf import settings

from tests.factories import (
    ActivityFactory,
    CampaignFactory,
    OfficerQuotaFactory,
    SessionFactory,
    ThemeFactory,
    ThemeItemFactory,
)

pytestmark = pytest.mark.django_db

PAGES = ["/", "/activities/", "/activities/visit/", "/activities/officers/", "/privacy/", "/my/",
         "/nope/"]
CJK = re.compile(r"[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f“”]")
WORD = re.compile(r"[A-Za-z]{2,}")
# Words that are the same in both languages: brand and product names, the language names.
ALLOWED_ENGLISH = {"English", "WIFI", "ID"}
ALLOWED_CJK_ON_ENGLISH = {"简体中文"}  # the language switch names each language in itself


class VisibleText(HTMLParser):
    """Text a visitor sees or hears: text nodes plus labels in attributes."""

    ATTRIBUTES = {"aria-label", "title", "placeholder", "alt"}

    def __init__(self):
        super().__init__()
        self.chunks, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1
        self.chunks += [v for k, v in attrs if k in self.ATTRIBUTES and v]
        if tag == "meta" and ("name", "description") in attrs:
            self.chunks.append(dict(attrs)["content"])

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.chunks.append(data.strip())


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.chunks


def make_site(*, english: bool):
    def text(field, en, zh):
        """A text as staff write it: Chinese, and English for the English site's test."""
        return {field: zh, f"{field}_en": en} if english else {field: zh}

    campaign = CampaignFactory(
        **text("title", "Experience Season", "优质服务体验季"),
        **text("slogan", "Heart service", "心级服务"),
        **text("intro", "Welcome", "欢迎参加"),
        **text("pledge", "We care", "用心服务"),
    )
    theme = ThemeFactory(campaign=campaign, **text("name", "Network", "优+网络"), tagline="")
    ThemeItemFactory(
        theme=theme, **text("name", "Fibre", "千兆宽带"), **text("audience", "Home", "家庭")
    )
    visit = ActivityFactory(
        campaign=campaign,
        slug="visit",
        **text("title", "Network centre", "网络中心"),
        **text("summary", "Come and see", "欢迎参观"),
        **text("description", "Tour", "参观"),
        **text("eligibility", "Everyone", "所有人"),
        **text("rules", "No photos", "禁止拍照"),
    )
    visit.themes.add(theme)
    SessionFactory(
        activity=visit, title="", city="北京", **text("venue", "Centre", "中心")
    )
    SessionFactory(
        activity=visit, title="", is_online=True, city="", venue="", capacity=2, places_taken=2
    )
    officers = ActivityFactory(
        campaign=campaign,
        slug="officers",
        kind="officer",
        **text("title", "Officers", "体验官"),
        **text("summary", "Join", "加入"),
        **text("description", "Apply", "报名"),
        eligibility="",
        rules="",
    )
    OfficerQuotaFactory(activity=officers, city="成都")  # Chengdu on the English site


@pytest.mark.parametrize("path", PAGES)
def test_chinese_pages_show_no_untranslated_english(client, path):
    make_site(english=False)
    chunks = visible_text(client.get(path).content.decode())
    stray = {w for chunk in chunks for w in WORD.findall(chunk)} - ALLOWED_ENGLISH
    assert not stray, f"English words on the Chinese page {path}: {sorted(stray)}"


@pytest.mark.parametrize("path", PAGES)
def test_english_pages_show_no_untranslated_chinese(client, path):
    make_site(english=True)
    chunks = visible_text(client.get("/en" + path).content.decode())
    stray = [c for c in chunks if CJK.search(c) and c not in ALLOWED_CJK_ON_ENGLISH]
    assert not stray, f"Chinese text on the English page {path}: {stray}"


def test_every_message_has_an_english_translation():
    po = polib.pofile(str(settings.BASE_DIR / "locale/en/LC_MESSAGES/django.po"))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated and not fuzzy, {"untranslated": untranslated, "fuzzy": fuzzy}
