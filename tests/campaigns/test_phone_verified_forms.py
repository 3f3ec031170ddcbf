"""With verification on, a signup, a booking, an application and a feedback asking for a
reply are accepted only with the SMS code sent to the number typed; "获取验证码" is a second
button of the same form, so nothing typed is lost on the way."""

import pytest
from django.urls import reverse

from campaigns.models import Activity, OfficerApplication, PhoneCode, Signup
from feedback.models import Feedback
from tests.campaigns import test_gm_reception, test_officer_application, test_open_day_signup
from tests.campaigns.test_officer_application import activity as officer_activity  # noqa: F401
from tests.conftest import code_sent_to
from tests.factories import SessionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sms_verify")]


def open_day():
    session = SessionFactory(capacity=30)
    return reverse("campaigns:signup", args=[session.activity.slug, session.pk]), \
        test_open_day_signup.valid_data(), Signup


def reception():
    session = SessionFactory(activity__kind=Activity.Kind.GM_RECEPTION, capacity=3)
    return reverse("campaigns:signup", args=[session.activity.slug, session.pk]), \
        test_gm_reception.booking_data(), Signup


@pytest.fixture(params=["open_day", "reception", "application", "feedback"])
def form(request, db):
    """(url, a valid POST without a code, the model a success creates, its phone)."""
    if request.param == "open_day":
        url, data, model = open_day()
    elif request.param == "reception":
        url, data, model = reception()
    elif request.param == "application":
        activity = request.getfixturevalue("officer_activity")
        url = reverse("campaigns:apply", args=[activity.slug])
        data, model = test_officer_application.data(activity), OfficerApplication
    else:
        data = {**request.getfixturevalue("form_data"), "wants_reply": "on", "name": "王女士",
                "phone": "138 0013 8000", "consent": "on"}
        url, model = reverse("feedback:create"), Feedback
    return url, data, model


def phone_of(data) -> str:
    return "".join(ch for ch in data["phone"] if ch.isdigit())[-11:]


def ask_for_code(client, url, data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(url, {**data, "send_code": "1"})


def test_without_a_code_nothing_is_accepted(client, form):
    url, data, model = form
    response = client.post(url, data)
    assert response.status_code == 200
    assert "请填写短信验证码" in response.content.decode()
    assert not model.objects.exists()


def test_asking_for_a_code_keeps_what_was_typed_and_says_where_it_went(
    client, form, sms_outbox, django_capture_on_commit_callbacks
):
    url, data, model = form
    response = ask_for_code(client, url, data, django_capture_on_commit_callbacks)
    page = response.content.decode()
    phone = phone_of(data)
    assert response.status_code == 200
    assert f"验证码已发送至 {phone[:3]}****{phone[-4:]}" in page and "60秒后可重新获取" in page
    assert data["name"] in page  # still in its field
    assert "is-invalid" not in page  # no complaints about fields not yet checked
    assert code_sent_to(sms_outbox, phone)
    assert not model.objects.exists()


def test_with_the_code_it_is_accepted(client, form, sms_outbox,
                                      django_capture_on_commit_callbacks):
    url, data, model = form
    ask_for_code(client, url, data, django_capture_on_commit_callbacks)
    code = code_sent_to(sms_outbox, phone_of(data))
    response = client.post(url, {**data, "sms_code": code})
    assert response.status_code == 302
    assert model.objects.filter(phone=phone_of(data)).count() == 1


def test_a_wrong_code_is_refused_and_says_how_many_tries_are_left(
    client, form, sms_outbox, django_capture_on_commit_callbacks
):
    url, data, model = form
    ask_for_code(client, url, data, django_capture_on_commit_callbacks)
    code = code_sent_to(sms_outbox, phone_of(data))
    response = client.post(url, {**data, "sms_code": f"{(int(code) + 1) % 10**6:06d}"})
    assert "验证码不正确，还可以再试4次" in response.content.decode()
    assert not model.objects.exists()


def test_a_code_for_another_number_does_not_count(client, form, sms_outbox,
                                                  django_capture_on_commit_callbacks):
    url, data, model = form
    ask_for_code(client, url, {**data, "phone": "13912345678"},
                 django_capture_on_commit_callbacks)
    code = code_sent_to(sms_outbox, "13912345678")
    response = client.post(url, {**data, "sms_code": code})
    assert response.status_code == 200
    assert not model.objects.exists()


def test_a_checked_number_stays_checked_while_the_form_is_fixed(
    client, form, sms_outbox, django_capture_on_commit_callbacks
):
    url, data, model = form
    ask_for_code(client, url, data, django_capture_on_commit_callbacks)
    code = code_sent_to(sms_outbox, phone_of(data))
    response = client.post(url, {**data, "consent": "", "sms_code": code})
    assert response.status_code == 200
    assert "手机号码已验证" in response.content.decode()
    response = client.post(url, data)  # the code was used; the check is remembered
    assert response.status_code == 302
    assert model.objects.count() == 1


def test_asking_without_a_number_says_so(client, form):
    url, data, _model = form
    response = client.post(url, {**data, "phone": "", "send_code": "1"})
    assert "请先填写手机号码，再获取验证码" in response.content.decode()


def test_a_second_code_within_the_minute_is_refused_on_the_form(
    client, form, django_capture_on_commit_callbacks
):
    url, data, _model = form
    ask_for_code(client, url, data, django_capture_on_commit_callbacks)
    response = ask_for_code(client, url, data, django_capture_on_commit_callbacks)
    assert "获取验证码太频繁" in response.content.decode()
    assert PhoneCode.objects.count() == 1


def test_feedback_without_a_reply_needs_no_code(client, form_data):
    response = client.post(reverse("feedback:create"), form_data)
    assert response.status_code == 302
    assert Feedback.objects.count() == 1


def test_verification_off_accepts_without_a_code(client, settings):
    settings.SMS_VERIFY = False
    url, data, model = open_day()
    assert client.post(url, data).status_code == 302
    assert model.objects.count() == 1
