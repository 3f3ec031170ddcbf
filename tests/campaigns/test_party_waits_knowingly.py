"""A party bigger than the places left is told before it waits, and chooses: fewer
companions (a place now), or the waiting list as a whole."""

import pytest
from django.urls import reverse

from campaigns.models import Signup
from tests.campaigns.test_open_day_signup import valid_data
from tests.factories import SessionFactory, SignupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_left():
    session = SessionFactory(capacity=6, waitlist_enabled=True)
    SignupFactory(session=session, companions=3)
    return session


def url(session):
    return reverse("campaigns:signup", args=[session.activity.slug, session.pk])


def test_the_party_is_told_before_it_waits(client, two_left):
    response = client.post(url(two_left), valid_data(companions="4"))
    html = response.content.decode()
    assert "剩余2个名额，您一行5人将整体进入候补名单" in html
    assert "确认加入候补名单" in html
    assert not Signup.objects.filter(phone="13800138000").exists()


def test_fewer_companions_get_a_place(client, two_left):
    client.post(url(two_left), valid_data(companions="1"))
    assert Signup.objects.get(phone="13800138000").status == Signup.Status.CONFIRMED


def test_the_party_may_choose_to_wait(client, two_left):
    response = client.post(url(two_left), {**valid_data(companions="4"), "join_waitlist": "1"})
    assert response.status_code == 302
    assert Signup.objects.get(phone="13800138000").status == Signup.Status.WAITLISTED


def test_no_warning_without_a_waiting_list_or_for_a_party_that_never_fits(client):
    no_list = SessionFactory(capacity=6, waitlist_enabled=False)
    SignupFactory(session=no_list, companions=3)
    html = client.post(url(no_list), valid_data(companions="4")).content.decode()
    assert "将整体进入候补名单" not in html
    small = SessionFactory(capacity=3, waitlist_enabled=True)
    SignupFactory(session=small)
    html = client.post(url(small), valid_data(companions="4")).content.decode()
    assert "将整体进入候补名单" not in html and "无法容纳 5 人" in html
