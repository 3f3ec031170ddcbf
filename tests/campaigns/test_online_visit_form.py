"""The online visit (云参观直播) asks no companions or minors and shows no on-site rules."""

import pytest
from django.urls import reverse

from campaigns.models import Signup
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def live():
    return SessionFactory(is_online=True, city="", venue="", capacity=500,
                          online_url="https://live.example.cn/5g")


def test_the_online_form_has_no_party_and_no_site_rules(client):
    session = live()
    page = client.get(reverse("campaigns:signup", args=[session.activity.slug, session.pk]))
    html = page.content.decode()
    assert 'name="companions"' not in html and 'name="with_minors"' not in html
    assert "机房禁止拍照" not in html and "入场核验身份证件" not in html
    assert "直播须知" in html


def test_an_online_signup_is_one_person(client):
    session = live()
    url = reverse("campaigns:signup", args=[session.activity.slug, session.pk])
    response = client.post(url, {"name": "王小明", "phone": "13800138000",
                                 "rules_accepted": "on", "consent": "on",
                                 "companions": "4"}, follow=True)  # a forged party is ignored
    signup = Signup.objects.get()
    assert signup.companions == 0 and signup.places == 1
    html = response.content.decode()
    assert "本人 1 人" not in html and "身份证件" not in html and "进入直播" in html


def test_an_on_site_form_still_asks_for_the_party(client):
    session = SessionFactory()
    html = client.get(
        reverse("campaigns:signup", args=[session.activity.slug, session.pk])
    ).content.decode()
    assert 'name="companions"' in html and "机房禁止拍照" in html
