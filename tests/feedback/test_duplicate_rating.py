"""One rating per phone and activity: a second one is refused with a clear message."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from feedback.models import Feedback, FeedbackEvent
from tests.factories import ActivityFactory, FeedbackFactory

pytestmark = pytest.mark.django_db

CONTACT = {"wants_reply": True, "name": "王小明", "consent": True}


def test_the_same_phone_cannot_rate_the_same_activity_twice(submit, activity):
    submit(activity=activity, phone="13812345678", **CONTACT)
    with pytest.raises(ValidationError) as error:
        submit(activity=activity, phone="+86 138 1234 5678", overall_score=2, **CONTACT)
    assert "只能评价一次" in error.value.message_dict["phone"][0]
    assert Feedback.objects.count() == 1
    assert FeedbackEvent.objects.count() == 1


def test_the_form_shows_the_message_and_keeps_the_first_rating(client, form_data, activity):
    form_data.update(wants_reply="on", name="王小明", phone="13812345678", consent="on")
    assert client.post("/feedback/new/", form_data).status_code == 302
    form_data.update(overall_score="1", phone="138-1234-5678")
    response = client.post("/feedback/new/", form_data)
    assert response.status_code == 200
    assert "只能评价一次" in response.content.decode()
    assert list(Feedback.objects.values_list("overall_score", flat=True)) == [8]


def test_the_same_phone_may_rate_another_activity_and_the_campaign(submit, activity, theme):
    other = ActivityFactory(campaign=theme.campaign)
    submit(activity=activity, phone="13812345678", **CONTACT)
    submit(activity=other, phone="13812345678", **CONTACT)
    submit(activity=None, phone="13812345678", **CONTACT)
    submit(activity=None, phone="13812345678", **CONTACT)
    assert Feedback.objects.count() == 4


def test_anonymous_ratings_are_not_limited_by_phone(submit, activity):
    submit(activity=activity)
    submit(activity=activity)
    assert Feedback.objects.count() == 2


def test_the_database_refuses_a_duplicate_that_bypasses_the_service(activity, theme):
    FeedbackFactory(activity=activity, theme=theme, phone="13812345678")
    with pytest.raises(IntegrityError), transaction.atomic():
        FeedbackFactory(activity=activity, theme=theme, phone="13812345678")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_ratings_from_one_phone_store_exactly_one(theme, activity, monkeypatch):
    """Both pass the service's check before either writes; the constraint refuses one."""
    import threading

    from django.db import connection, connections

    from feedback import services

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    barrier = threading.Barrier(2)
    real_check = services._already_rated
    checked = threading.local()

    def racing_check(**kwargs):
        result = real_check(**kwargs)
        if not getattr(checked, "done", False):  # the first check: wait for the other thread
            checked.done = True
            barrier.wait(timeout=10)
        return result

    monkeypatch.setattr(services, "_already_rated", racing_check)
    outcomes = []

    def rate(score):
        try:
            services.feedback_submit(
                theme=theme,
                activity=activity,
                kind="praise",
                overall_score=score,
                recommend_score=9,
                comment="讲解很好。",
                phone="13812345678",
                **CONTACT,
            )
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(error.message_dict["phone"][0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=rate, args=(score,)) for score in (9, 10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 2 and outcomes.count("ok") == 1
    assert "只能评价一次" in next(o for o in outcomes if o != "ok")
    assert Feedback.objects.filter(activity=activity).count() == 1
    assert FeedbackEvent.objects.count() == 1
