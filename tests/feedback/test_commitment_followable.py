"""The 48-hour promise can be followed from anywhere: the home page states how it is kept,
every page links the scoreboard (footer) and 进度查询 and 我的 (header)."""

import datetime

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_the_home_page_states_the_share_answered_in_time(client, submit):
    now = timezone.now()
    answered = submit(kind="complaint", overall_score=2, now=now - datetime.timedelta(hours=60))
    from feedback.models import Feedback

    Feedback.objects.filter(pk=answered.pk).update(
        first_replied_at=now - datetime.timedelta(hours=50))
    submit(kind="complaint", overall_score=2, now=now - datetime.timedelta(hours=50))  # overdue
    page = client.get("/").content.decode()
    assert "已到期的 2 件投诉中，50% 在承诺时间内得到首次回复" in page
    english = client.get("/en/").content.decode()
    assert "Of the 2 complaints now due, 50% got a first reply in time" in english


@pytest.mark.parametrize("path", ["/", "/activities/", "/feedback/", "/privacy/"])
def test_every_page_links_the_scoreboard_status_and_mine(client, path, theme):
    page = client.get(path).content.decode()
    assert 'href="/feedback/commitment/"' in page
    assert 'href="/feedback/status/"' in page
    assert 'href="/my/"' in page
