"""Losing the last place is not a dead end: the message once, and the activity's other
sessions that still take a signup."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import SessionFactory, SignupFactory

pytestmark = pytest.mark.django_db


def test_a_full_session_offers_the_other_sessions_once(client):
    full = SessionFactory(capacity=1, waitlist_enabled=False)
    later = SessionFactory(activity=full.activity, capacity=10, title="第二场",
                           starts_at=full.starts_at + datetime.timedelta(days=1),
                           ends_at=full.ends_at + datetime.timedelta(days=1))
    past = SessionFactory(activity=full.activity, capacity=10, title="上周场",
                          starts_at=timezone.now() - datetime.timedelta(days=7),
                          ends_at=timezone.now() - datetime.timedelta(days=7, hours=-2))
    url = reverse("campaigns:signup", args=[full.activity.slug, full.pk])
    page = client.get(url)  # the form, while a place is left
    assert page.status_code == 200
    SignupFactory(session=full)  # someone else takes the last place meanwhile
    response = client.post(url, {"name": "王小明", "phone": "13800138000", "companions": "0",
                                 "rules_accepted": "on", "consent": "on"})
    html = response.content.decode()
    assert html.count("很抱歉，该场次已满。") == 1
    assert reverse("campaigns:signup", args=[full.activity.slug, later.pk]) in html
    assert "第二场" in html
    assert reverse("campaigns:signup", args=[full.activity.slug, past.pk]) not in html


def test_no_alternatives_for_other_mistakes(client):
    session = SessionFactory(capacity=5)
    SessionFactory(activity=session.activity, capacity=5)
    url = reverse("campaigns:signup", args=[session.activity.slug, session.pk])
    html = client.post(url, {"name": "", "phone": "13800138000"}).content.decode()
    assert "同一活动的其他场次" not in html
