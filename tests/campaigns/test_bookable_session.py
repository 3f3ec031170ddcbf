"""The signup form opens only for a bookable session, read whole in one query.

`selectors.bookable_session` reads the session, its activity and its city with one plain-SQL
query (it runs on every signup post). These tests hold it to what the ORM would give: the
same values, converted the same way (aware datetimes on SQLite too), and a 404 for anything
that is not a published open-day or GM-reception session of that activity.
"""

import pytest
from django.urls import reverse

from campaigns import selectors
from campaigns.models import Activity, Session
from tests.factories import ActivityFactory, SessionFactory

pytestmark = pytest.mark.django_db


def signup_url(slug, pk):
    return reverse("campaigns:signup", args=[slug, pk])


def field_values(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


@pytest.mark.parametrize("kind", [Activity.Kind.OPEN_DAY, Activity.Kind.GM_RECEPTION])
def test_the_session_its_activity_and_city_equal_the_orms(kind, django_assert_num_queries):
    session = SessionFactory(activity__kind=kind, city="武汉")
    with django_assert_num_queries(1):
        read = selectors.bookable_session(slug=session.activity.slug, pk=session.pk)
        names = (read.activity.title, read.region.name, read.starts_at.tzinfo)
    orm = Session.objects.select_related("activity", "region").get(pk=session.pk)
    assert field_values(read) == field_values(orm)
    assert field_values(read.activity) == field_values(orm.activity)
    assert field_values(read.region) == field_values(orm.region)
    assert names[2] is not None  # aware, as USE_TZ wants


def test_an_online_session_has_no_city(django_assert_num_queries):
    session = SessionFactory(is_online=True, city=None, online_url="https://meeting.example/1")
    with django_assert_num_queries(1):
        read = selectors.bookable_session(slug=session.activity.slug, pk=session.pk)
        assert read.region is None


@pytest.mark.parametrize(
    "make",
    [
        lambda: SessionFactory(activity__is_published=False),
        lambda: SessionFactory(activity__kind=Activity.Kind.OFFICER),
    ],
    ids=["unpublished activity", "officer programme"],
)
def test_a_session_that_cannot_be_booked_is_not_found(client, make):
    session = make()
    assert client.get(signup_url(session.activity.slug, session.pk)).status_code == 404


def test_a_session_under_another_activitys_address_is_not_found(client):
    session = SessionFactory()
    other = ActivityFactory()
    assert client.get(signup_url(other.slug, session.pk)).status_code == 404
    assert client.get(signup_url(session.activity.slug, session.pk + 1000)).status_code == 404
