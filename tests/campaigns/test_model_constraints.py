"""What must never be stored is refused by the database itself, not only by forms."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from campaigns.models import Session
from tests.factories import ActivityFactory, CampaignFactory, SessionFactory, region

pytestmark = pytest.mark.django_db


def refused(**fields) -> bool:
    try:
        with transaction.atomic():
            SessionFactory(**fields)
    except IntegrityError:
        return True
    return False


def test_session_must_end_after_it_starts():
    start = timezone.now() + datetime.timedelta(days=3)
    assert refused(starts_at=start, ends_at=start)
    assert refused(starts_at=start, ends_at=start - datetime.timedelta(hours=1))


def test_session_cannot_hold_more_than_its_capacity():
    assert refused(capacity=10, places_taken=11)
    session = SessionFactory(capacity=10, places_taken=10)
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(capacity=9)


def test_capacity_cannot_be_negative():
    assert refused(capacity=-1)


def test_on_site_session_needs_city_and_venue():
    assert refused(city="", venue="中心")
    assert refused(city="北京", venue="")
    assert not refused(is_online=True, city="", venue="")


def test_an_on_site_session_is_in_a_city_not_a_province():
    session = SessionFactory.build(region=region("420000"), ends_at=timezone.now())
    with pytest.raises(ValidationError) as error:
        session.full_clean(exclude=["activity"])
    assert error.value.message_dict["region"] == ["线下场次请选择城市，而不是省份。"]


def test_activity_slug_is_unique():
    ActivityFactory(slug="open-day")
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityFactory(slug="open-day")


def test_signup_window_must_close_after_it_opens():
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityFactory(signup_opens_at=now, signup_closes_at=now - datetime.timedelta(hours=1))


def test_campaign_ends_after_it_starts():
    today = timezone.localdate()
    with pytest.raises(IntegrityError), transaction.atomic():
        CampaignFactory(starts_on=today, ends_on=today - datetime.timedelta(days=1))


def test_clean_explains_the_problem_in_chinese():
    session = SessionFactory.build(city="", venue="", ends_at=timezone.now())
    with pytest.raises(ValidationError) as error:
        session.full_clean(exclude=["activity"])
    messages = error.value.message_dict
    assert messages["region"] == ["线下场次请填写城市。"]
    assert messages["ends_at"] == ["结束时间必须晚于开始时间。"]
