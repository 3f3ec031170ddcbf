"""The text messages people get: a confirmed place, a place from the waiting list, the
officer review's result, the video link of an online GM reception, an official reply. Each
is built from the record when it is sent (an erased or cancelled record sends nothing)."""

import pytest

from campaigns import services
from campaigns.models import OfficerApplication, ReceptionCase
from campaigns.sms.catalogue import SEGMENT_CHARS
from campaigns.sms.delivery import deliver_sms
from feedback import services as feedback_services
from tests.factories import (
    ModeratorFactory,
    OfficerApplicationFactory,
    ReceptionSignupFactory,
    SessionFactory,
    SignupFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(sms_outbox, django_capture_on_commit_callbacks):
    """Run `action()` as a request would (its messages go out when it commits); return the
    messages it sent."""

    def run(action):
        before = len(sms_outbox)
        with django_capture_on_commit_callbacks(execute=True):
            action()
        return sms_outbox[before:]

    return run


def test_a_confirmed_place_is_texted_with_activity_time_and_reference(sent):
    session = SessionFactory(activity__title="探秘5G网络大脑", capacity=5)
    holder = []
    [message] = sent(lambda: holder.append(SignupFactory(session=session, phone="13800138000")))
    signup = holder[0]
    assert message.phone == "13800138000" and message.kind == "signup_confirmed"
    assert "探秘5G网络大脑" in message.text and signup.reference_display in message.text
    assert f"{session.starts_at.astimezone().day}日" in message.params["time"]
    assert len(message.text) <= SEGMENT_CHARS


def test_a_waiting_list_signup_is_texted_when_it_gets_a_place(sent):
    session = SessionFactory(capacity=1)
    first = SignupFactory(session=session)
    waiting = []
    assert sent(lambda: waiting.append(SignupFactory(session=session))) == []  # waiting: none
    [message] = sent(lambda: services.signup_cancel(signup=first))
    assert message.kind == "signup_promoted" and message.phone == waiting[0].phone
    assert "候补成功" in message.text and waiting[0].reference_display in message.text


def test_the_officer_review_result_is_texted(sent):
    application = OfficerApplicationFactory(phone="13700001234")
    [message] = sent(lambda: services.application_review(
        application=application, reviewer=StaffFactory(),
        status=OfficerApplication.Status.REJECTED, reason="名额已满",
    ))
    assert message.kind == "application_result" and message.phone == "13700001234"
    assert "未被录用" in message.text and application.reference_display in message.text


def video_booking(**session):
    return ReceptionSignupFactory(
        session__is_online=True, session__city="", session__venue="",
        session__online_url="https://meeting.tencent.com/dm/Abc123xyz", **session,
        reception={
            "category": ReceptionCase.Category.BILLING,
            "description": "上个月账单多收了10元视频彩铃费,我从未开通过这项业务。",
            "account": "13800138000", "raised_with_10086": False, "ticket_number": "",
            "contact_mode": ReceptionCase.ContactMode.VIDEO,
        },
    )


def test_an_online_video_booking_gets_its_meeting_link(client, sent, settings):
    settings.SITE_URL = "https://yzfw.10086.cn"
    holder = []
    messages = sent(lambda: holder.append(video_booking()))
    signup = holder[0]
    assert [m.kind for m in messages] == ["signup_confirmed", "reception_video"]
    link = f"yzfw.10086.cn/v/{signup.reference}"
    assert link in messages[1].text and len(messages[1].text) <= SEGMENT_CHARS
    response = client.get(f"/v/{signup.reference}")
    assert response.status_code == 302
    assert response["Location"] == "https://meeting.tencent.com/dm/Abc123xyz"


def test_the_video_link_only_opens_a_live_video_booking(client, sent):
    onsite = ReceptionSignupFactory()
    assert client.get(f"/v/{onsite.reference}").status_code == 404
    assert client.get("/v/NOTACODE").status_code == 404
    booking = video_booking()
    services.signup_cancel(signup=booking)
    assert client.get(f"/v/{booking.reference}").status_code == 404


def test_an_onsite_booking_gets_no_video_link(sent):
    messages = sent(ReceptionSignupFactory)
    assert [m.kind for m in messages] == ["signup_confirmed"]


def test_an_answer_to_a_reception_case_is_texted(sent):
    signup = ReceptionSignupFactory(phone="13600001111")
    [message] = sent(lambda: services.reception_update(
        case=signup.reception, actor=StaffFactory(), status=ReceptionCase.Status.REPLIED,
        outcome="已安排工程师上门检测线路,问题已解决。",
    ))
    assert message.kind == "reply" and message.phone == "13600001111"
    assert "接待日问题" in message.text and signup.reference_display in message.text


def test_an_official_reply_to_feedback_is_texted_to_who_asked_for_one(sent, submit):
    asked = submit(wants_reply=True, name="王女士", phone="13500001111", consent=True)
    [message] = sent(lambda: feedback_services.reply_create(
        feedback=asked, author=ModeratorFactory(), body="感谢反馈,已为您优化。"
    ))
    assert message.kind == "reply" and message.phone == "13500001111"
    assert "反馈" in message.text and asked.reference[:4] in message.text


def test_no_text_for_a_note_or_for_who_did_not_ask(sent, submit, activity):
    asked = submit(wants_reply=True, name="王女士", phone="13500001111", consent=True)
    moderator = ModeratorFactory()
    assert sent(lambda: feedback_services.reply_create(
        feedback=asked, author=moderator, body="内部备注", kind="note"
    )) == []
    silent = submit(phone="13500002222", consent=True, signup_reference="", wants_reply=False)
    assert sent(lambda: feedback_services.reply_create(
        feedback=silent, author=moderator, body="感谢反馈。"
    )) == []


def test_a_signup_erased_before_the_worker_runs_gets_no_text(sms_outbox):
    signup = SignupFactory()  # its text is queued (here: not yet sent)
    services.personal_data_erase(record=signup)
    assert deliver_sms("signup_confirmed", signup.pk) is False
    assert sms_outbox == []
