"""The customer follows their feedback with its reference (and phone, if they left one)."""

import pytest
from django.conf import settings

from campaigns.ratelimit import parse_rate
from feedback import services

pytestmark = pytest.mark.django_db
URL = "/feedback/status/"


@pytest.fixture
def case(submit, moderator):
    feedback = submit(
        kind="complaint",
        overall_score=2,
        wants_reply=True,
        name="王小明",
        phone="13812345678",
        consent=True,
    )
    services.reply_create(feedback=feedback, author=moderator, body="已安排工程师上门测试。")
    services.reply_create(feedback=feedback, author=moderator, body="内部备注", kind="note")
    return feedback


def test_reference_and_phone_show_status_and_official_replies(client, case):
    reference = f"{case.reference[:4].lower()}-{case.reference[4:]}"
    response = client.post(URL, {"reference": reference, "phone": "+86 138 1234 5678"})
    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["feedback"] == case
    assert "已安排工程师上门测试" in page and "已答复" in page
    assert "内部备注" not in page


@pytest.mark.parametrize(
    "data",
    [
        {"phone": "13900000000"},
        {"phone": ""},
        {"reference": "ZZZZZZZZ"},
    ],
)
def test_a_wrong_reference_or_phone_finds_nothing(client, case, data):
    response = client.post(URL, {"reference": case.reference, **data})
    assert response.status_code == 200
    assert response.context["feedback"] is None
    assert "没有找到这条反馈" in response.content.decode()


def test_anonymous_feedback_is_found_by_reference_alone(client, submit):
    feedback = submit()
    response = client.post(URL, {"reference": feedback.reference})
    assert response.context["feedback"] == feedback


def test_bad_input_is_a_form_error(client, db):
    response = client.post(URL, {"reference": "<script>" * 5, "phone": "abc"})
    assert response.status_code == 200
    assert "<script><script>" not in response.content.decode()
    assert "11位中国大陆手机号码" in response.content.decode()


def test_too_many_lookups_get_429(client, db):
    limit, _window = parse_rate(settings.RATELIMITS["lookup_ip"])
    for _ in range(limit):
        client.post(URL, {"reference": "ABCDEFGH"})
    assert client.post(URL, {"reference": "ABCDEFGH"}).status_code == 429
