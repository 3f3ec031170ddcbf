"""Rule: every checkbox that asks consent to personal data reads "我已阅读并同意
《个人信息保护说明》" with a link to the privacy notice, in the page's language.

Home: campaigns/privacy.py CONSENT_LABEL. The signup forms (open day, GM reception,
officer application) and the feedback form must show the same label, linking to the notice
at /privacy/ on Chinese pages and /en/privacy/ on English ones.
"""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from campaigns.models import Activity
from tests.factories import ActivityFactory, SessionFactory

pytestmark = pytest.mark.django_db

LABEL = re.compile(r'<label[^>]*for="id_consent"[^>]*>(.*?)</label>', re.S)
REQUIRED_MARK = '<span class="asteriskField">*</span>'
EXPECTED = {
    "zh-hans": '我已阅读并同意 <a href="/privacy/" target="_blank" rel="noopener">'
               "《个人信息保护说明》</a>",
    "en": 'I have read and agree to the <a href="/en/privacy/" target="_blank" '
          'rel="noopener">Privacy Notice</a>',
}


@pytest.fixture
def form_pages(activity):
    reception = SessionFactory(activity__kind=Activity.Kind.GM_RECEPTION, capacity=1)
    officer = ActivityFactory(kind=Activity.Kind.OFFICER)
    open_day = SessionFactory(activity=activity)

    def signup(session):
        return "campaigns:signup", [session.activity.slug, session.pk]

    return {
        "open-day signup": signup(open_day),
        "GM-reception booking": signup(reception),
        "officer application": ("campaigns:apply", [officer.slug]),
        "feedback": ("feedback:create", []),
    }


def consent_label(client, name, args, language) -> str:
    with translation.override(language):
        url = reverse(name, args=args)
    response = client.get(url)
    assert response.status_code == 200, url
    (label,) = LABEL.findall(response.content.decode())
    return " ".join(label.replace(REQUIRED_MARK, "").split())


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_form_shows_the_same_consent_label_in_the_pages_language(
    client, form_pages, language
):
    labels = {
        page: consent_label(client, name, args, language)
        for page, (name, args) in form_pages.items()
    }
    assert labels == dict.fromkeys(form_pages, EXPECTED[language])


@pytest.mark.parametrize(("language", "url"), [("zh-hans", "/privacy/"), ("en", "/en/privacy/")])
def test_the_label_links_to_the_privacy_notice_in_the_same_language(client, language, url):
    with translation.override(language):
        assert reverse("campaigns:privacy") == url
    response = client.get(url)
    assert response.status_code == 200
    shown_in = response.wsgi_request.LANGUAGE_CODE
    assert shown_in == language
