"""The public form: valid input is stored, bad input is refused with a message and no 500."""

import pytest
from django.conf import settings

from campaigns.ratelimit import parse_rate
from feedback.models import Feedback, FeedbackEvent

pytestmark = pytest.mark.django_db

URL = "/feedback/new/"


def test_the_form_shows_score_radio_groups_without_inline_script_or_style(client, activity):
    response = client.get(URL, {"activity": activity.slug})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<fieldset") >= 12  # theme, kind, overall, recommend, 8 dimensions
    assert '<legend class="fw-semibold">总体满意度' in page
    assert 'type="radio" name="overall_score" value="10"' in page
    assert 'name="recommend_score" value="0"' in page
    assert "未体验" in page
    assert "<script>" not in page and "style=" not in page
    assert "css/feedback.css" in page
    assert response.context["form"]["activity"].value() == activity.pk


def test_a_valid_submission_is_stored_pending_and_audited(client, form_data, activity):
    response = client.post(URL, form_data)
    assert response.status_code == 302
    assert response["Location"] == "/feedback/thanks/"
    feedback = Feedback.objects.get()
    assert feedback.state == Feedback.State.PENDING
    assert feedback.activity == activity
    assert (feedback.overall_score, feedback.recommend_score) == (8, 9)
    assert feedback.score_network == 9 and feedback.score_billing is None
    assert not feedback.is_case
    assert feedback.phone == "" and feedback.consent_at is None
    event = FeedbackEvent.objects.get()
    assert (event.action, event.actor, event.to_state) == ("submitted", None, "pending")
    thanks = client.get("/feedback/thanks/").content.decode()
    assert feedback.reference in thanks


def test_contact_details_with_consent_are_recorded(client, form_data):
    form_data.update(
        wants_reply="on",
        name="王小明",
        phone="+86 139-1234-5678",
        email="wxm@example.com",
        consent="on",
    )
    assert client.post(URL, form_data).status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.phone == "13912345678"
    assert feedback.consent_at is not None and feedback.privacy_version == "2026-11-26"


def test_contact_fields_are_dropped_when_no_reply_is_wanted(client, form_data):
    form_data.update(name="王小明", phone="13912345678")
    assert client.post(URL, form_data).status_code == 302
    assert Feedback.objects.get().phone == ""


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"overall_score": ""}, "overall_score", "请选择一个分数"),
        ({"overall_score": "11"}, "overall_score", "选择一个有效的选项"),
        ({"overall_score": "0"}, "overall_score", "选择一个有效的选项"),
        ({"recommend_score": "-1"}, "recommend_score", "选择一个有效的选项"),
        ({"score_network": "abc"}, "score_network", "选择一个有效的选项"),
        ({"kind": "bribe"}, "kind", "选择一个有效的选项"),
        ({"theme": "999999"}, "theme", "请选择主题"),
        ({"activity": "not-a-number"}, "activity", "选择一个有效的选项"),
        ({"comment": ""}, "comment", "请填写评价内容"),
        ({"comment": "好"}, "comment", "至少5个字"),
        ({"comment": "很" * 1001}, "comment", "最多1000个字"),
        ({"wants_reply": "on"}, "phone", "11位中国大陆手机号码"),
        ({"wants_reply": "on", "name": "王", "phone": "13812345678"}, "consent", "同意"),
        ({"phone": "12345"}, "phone", "11位中国大陆手机号码"),
        ({"email": "not-an-email"}, "email", "有效"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_written(
    client, form_data, changes, field, message
):
    form_data.update(changes)
    response = client.post(URL, form_data)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors, response.context["form"].errors
    assert not Feedback.objects.exists()
    assert not FeedbackEvent.objects.exists()


def test_an_item_of_another_theme_is_refused(client, form_data, other_theme):
    from tests.factories import ThemeItemFactory

    foreign = ThemeItemFactory(theme=other_theme, name="10086智能服务")
    form_data["theme_item"] = str(foreign.pk)
    response = client.post(URL, form_data)
    assert response.status_code == 200
    assert "不属于该主题" in " ".join(response.context["form"].errors["theme_item"])
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("value", ["not-a-number", "99999999", "-1"])
def test_an_unknown_item_is_refused_with_a_message(client, form_data, value):
    form_data["theme_item"] = value
    response = client.post(URL, form_data)
    assert response.status_code == 200
    assert response.context["form"].errors["theme_item"]
    assert not Feedback.objects.exists()


def test_an_item_of_another_campaign_is_refused(client, form_data):
    from tests.factories import ThemeItemFactory

    elsewhere = ThemeItemFactory(name="旧活动季的产品")
    form_data["theme_item"] = str(elsewhere.pk)
    response = client.post(URL, form_data)
    assert response.status_code == 200
    assert response.context["form"].errors["theme_item"]
    assert not Feedback.objects.exists()


def test_markup_in_the_comment_is_escaped_when_shown_again(client, form_data):
    form_data.update(comment='<script>alert("x")</script><b>很好</b>', overall_score="")
    page = client.post(URL, form_data).content.decode()
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;" in page


def test_an_activity_only_dimension_is_ignored_for_general_feedback(client, form_data):
    form_data.update(activity="", score_organisation="3")
    assert client.post(URL, form_data).status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.activity is None and feedback.score_organisation is None


def test_a_filled_honeypot_is_refused_without_writing(client, form_data):
    form_data["website"] = "http://spam.example"
    response = client.post(URL, form_data)
    assert response.status_code == 200
    assert "提交未成功，请稍后重试" in response.content.decode()
    assert not Feedback.objects.exists()


def test_too_many_submissions_from_one_address_get_429(client, form_data):
    form_data["overall_score"] = ""  # invalid posts count too
    limit, _window = parse_rate(settings.RATELIMITS["feedback_ip"])
    for _ in range(limit):
        assert client.post(URL, form_data).status_code == 200
    response = client.post(URL, form_data)
    assert response.status_code == 429
    assert "操作太频繁" in response.content.decode()


def test_the_thanks_page_without_a_submission_goes_back_to_the_form(client, db):
    response = client.get("/feedback/thanks/")
    assert response.status_code == 302 and response["Location"] == URL


def test_the_form_answers_in_english(client, activity):
    response = client.get("/en" + URL)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"


def test_errors_are_summarised_and_tied_to_their_radio_group(client, form_data):
    form_data["overall_score"] = ""
    page = client.post(URL, form_data).content.decode()
    assert "请检查下面标红的项目" in page
    assert 'aria-describedby="id_overall_score_help id_overall_score_error"' in page
    assert 'id="id_overall_score_error"' in page
