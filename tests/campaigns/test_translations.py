"""The Chinese site shows no stray English, the English site no stray Chinese.

Data typed by staff (titles, venues) is in one language; these tests fill the database with
data in the page's own language, so anything foreign on the page came from a template or code
that was not translated.
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
    text = (lambda en, zh: en) if english else (lambda en, zh: zh)
    campaign = CampaignFactory(
        title=text("Experience Season", "优质服务体验季"),
        slogan=text("Heart service", "心级服务"),
        intro=text("Welcome", "欢迎参加"),
        pledge=text("We care", "用心服务"),
    )
    theme = ThemeFactory(campaign=campaign, name=text("Network", "优+网络"), tagline="")
    ThemeItemFactory(theme=theme, name=text("Fibre", "千兆宽带"), audience=text("Home", "家庭"))
    visit = ActivityFactory(
        campaign=campaign,
        slug="visit",
        title=text("Network centre", "网络中心"),
        summary=text("Come and see", "欢迎参观"),
        description=text("Tour", "参观"),
        eligibility=text("Everyone", "所有人"),
        rules=text("No photos", "禁止拍照"),
    )
    visit.themes.add(theme)
    SessionFactory(
        activity=visit, title="", city="北京", venue=text("Centre", "中心")
    )
    SessionFactory(
        activity=visit, title="", is_online=True, city="", venue="", capacity=2, places_taken=2
    )
    officers = ActivityFactory(
        campaign=campaign,
        slug="officers",
        kind="officer",
        title=text("Officers", "体验官"),
        summary=text("Join", "加入"),
        description=text("Apply", "报名"),
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
