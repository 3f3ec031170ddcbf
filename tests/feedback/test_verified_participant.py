"""A participant who gives their signup's reference code and phone is shown as verified."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from campaigns import services as signup_services
from campaigns.models import Session, Signup
from feedback.models import Feedback
from tests.factories import SessionFactory, SignupFactory

pytestmark = pytest.mark.django_db

URL = "/feedback/new/"


@pytest.fixture
def signup(activity):
    return SignupFactory(session=SessionFactory(activity=activity), phone="13912345678")


def verified_post(form_data, signup, **overrides):
    form_data.update(
        signup_reference=signup.reference.lower(),  # typed carelessly: still matches
        phone="139 1234 5678",
        consent="on",
        **overrides,
    )
    return form_data


def test_matching_code_and_phone_link_the_feedback_and_show_the_badge(client, form_data, signup):
    response = client.post(URL, verified_post(form_data, signup))
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.signup == signup and feedback.verified
    assert feedback.consent_at is not None
    assert feedback.name == ""  # no reply wanted: only the phone that proves the signup


def test_the_activity_is_taken_from_the_signup_when_none_was_chosen(submit, signup):
    feedback = submit(signup_reference=signup.reference, phone=signup.phone, consent=True)
    assert feedback.activity == signup.session.activity


@pytest.mark.parametrize("wrong", ["reference", "phone"])
def test_a_wrong_code_or_phone_is_refused_with_the_same_message(client, form_data, signup, wrong):
    data = verified_post(form_data, signup)
    if wrong == "reference":
        data["signup_reference"] = "AAAA-AAAA"
    else:
        data["phone"] = "13700000000"
    response = client.post(URL, data)
    assert response.status_code == 200
    assert "报名编号与手机号不匹配" in response.content.decode()
    assert response.context["form"]["comment"].value() == form_data["comment"]
    assert not Feedback.objects.exists()


def test_a_code_needs_a_phone_and_consent(client, form_data, signup):
    form_data["signup_reference"] = signup.reference
    page = client.post(URL, form_data).content.decode()
    assert "请输入11位中国大陆手机号码" in page
    assert "留下联系方式需要同意个人信息保护说明" in page
    assert not Feedback.objects.exists()


def test_a_cancelled_signup_does_not_verify(submit, signup):
    signup_services.signup_cancel(signup=signup)
    with pytest.raises(ValidationError) as error:
        submit(signup_reference=signup.reference, phone=signup.phone, consent=True)
    assert "signup_reference" in error.value.error_dict


def test_a_signup_for_another_activity_is_refused(submit, signup, activity):
    other = SignupFactory(phone="13811112222")
    with pytest.raises(ValidationError) as error:
        submit(activity=activity, signup_reference=other.reference, phone=other.phone, consent=True)
    assert other.session.activity.title in error.value.message_dict["signup_reference"][0]


def test_no_rating_is_asked_for_before_the_session_starts(client, signup):
    client.post("/my/lookup/", {"phone": signup.phone, "reference": signup.reference})
    page = client.get(f"/my/{signup.reference}/").content.decode()
    assert "评价这次活动" not in page


def test_my_signups_page_invites_a_rating_then_shows_it(client, signup):
    Session.objects.filter(pk=signup.session_id).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1))
    client.post(
        "/my/lookup/",
        {"phone": signup.phone, "reference": signup.reference},
        REMOTE_ADDR="127.0.0.1",
    )
    page = client.get(f"/my/{signup.reference}/").content.decode()
    assert f"ref={signup.reference}" in page and "评价这次活动" in page

    Feedback.objects.create(
        reference="VERIFY01",
        theme=signup.session.activity.themes.first(),
        kind="praise",
        overall_score=10,
        recommend_score=10,
        comment="很好",
        public_comment="很好",
        signup=signup,
        activity=signup.session.activity,
    )
    page = client.get(f"/my/{signup.reference}/").content.decode()
    assert "评价这次活动" not in page
    assert "VERIFY01" in page
    assert Signup.objects.get().feedback.count() == 1
