"""The 48-hour first-reply clock, official replies, internal notes and closing a case."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from campaigns.clock import CaseClock, case_clock, format_duration
from feedback import services
from feedback.models import Feedback, FeedbackEvent, Reply

pytestmark = pytest.mark.django_db
H = datetime.timedelta(hours=1)


def test_a_complaint_opens_a_case_due_48_hours_later(submit, now):
    feedback = submit(kind="complaint", overall_score=9, now=now)
    assert feedback.reply_due_at == now + 48 * H
    assert feedback.case_status == Feedback.CaseStatus.OPEN
    assert feedback.events.get().action == "submitted"


@pytest.mark.parametrize(("score", "is_case"), [(1, True), (6, True), (7, False), (10, False)])
def test_an_overall_score_of_6_or_less_opens_a_case(submit, now, score, is_case):
    feedback = submit(kind="praise", overall_score=score, now=now)
    assert feedback.is_case is is_case
    assert case_clock(feedback, now).state == (CaseClock.DUE if is_case else CaseClock.NONE)


def test_the_deadline_follows_the_setting(submit, now, settings):
    settings.FIRST_REPLY_HOURS = 24
    assert submit(kind="complaint", now=now).reply_due_at == now + 24 * H


def test_due_in_and_overdue_by_with_a_fixed_clock(submit, now):
    feedback = submit(kind="complaint", now=now)
    clock = case_clock(feedback, now + 45 * H + datetime.timedelta(minutes=30))
    assert (clock.state, clock.delta) == (CaseClock.DUE, datetime.timedelta(hours=2, minutes=30))
    assert clock.label == "剩余 2小时30分钟"
    clock = case_clock(feedback, now + 48 * H)
    assert clock.state == CaseClock.OVERDUE and clock.delta == datetime.timedelta(0)
    clock = case_clock(feedback, now + 75 * H)
    assert clock.is_overdue and clock.label == "已超时 1天3小时"


def test_the_first_official_reply_stops_the_clock_on_time(submit, now, moderator):
    feedback = submit(kind="complaint", now=now)
    services.reply_create(
        feedback=feedback, author=moderator, body="已安排工程师。", now=now + 5 * H
    )
    services.reply_create(feedback=feedback, author=moderator, body="已修复。", now=now + 60 * H)
    feedback.refresh_from_db()
    assert feedback.first_replied_at == now + 5 * H
    clock = case_clock(feedback, now + 100 * H)
    assert (clock.state, clock.delta) == (CaseClock.ON_TIME, 5 * H)
    assert feedback.case_status == Feedback.CaseStatus.REPLIED


def test_a_late_first_reply_counts_as_late(submit, now, moderator):
    feedback = submit(kind="complaint", now=now)
    services.reply_create(
        feedback=feedback, author=moderator, body="抱歉回复晚了。", now=now + 50 * H
    )
    clock = case_clock(feedback, now + 51 * H)
    assert (clock.state, clock.delta) == (CaseClock.LATE, 2 * H)


def test_an_internal_note_does_not_stop_the_clock_and_is_audited(submit, now, moderator):
    feedback = submit(kind="complaint", now=now)
    services.reply_create(
        feedback=feedback, author=moderator, body="已转网络部。", kind=Reply.Kind.NOTE, now=now + H
    )
    feedback.refresh_from_db()
    assert feedback.first_replied_at is None
    event = feedback.events.get(action=FeedbackEvent.Action.NOTED)
    assert (event.actor, event.from_state, event.to_state) == (moderator, "open", "open")


def test_a_reply_is_audited_from_open_to_replied(submit, now, moderator):
    feedback = submit(kind="complaint", now=now)
    services.reply_create(feedback=feedback, author=moderator, body="您好。", now=now + H)
    event = feedback.events.get(action=FeedbackEvent.Action.REPLIED)
    assert (event.actor, event.from_state, event.to_state, event.created_at) == (
        moderator,
        "open",
        "replied",
        now + H,
    )


def test_an_empty_reply_is_refused(submit, moderator):
    feedback = submit(kind="complaint")
    with pytest.raises(ValidationError):
        services.reply_create(feedback=feedback, author=moderator, body="  ")
    assert not Reply.objects.exists()


def test_closing_needs_a_reply_first_and_an_outcome(submit, now, moderator):
    feedback = submit(kind="complaint", now=now)
    with pytest.raises(ValidationError, match="请先发布正式答复"):
        services.case_close(feedback=feedback, moderator=moderator, outcome="已解决")
    services.reply_create(feedback=feedback, author=moderator, body="您好。", now=now + H)
    with pytest.raises(ValidationError, match="办理结果"):
        services.case_close(feedback=feedback, moderator=moderator, outcome="")
    services.case_close(
        feedback=feedback, moderator=moderator, outcome="已新建基站", now=now + 9 * H
    )
    feedback.refresh_from_db()
    assert feedback.case_status == Feedback.CaseStatus.CLOSED
    assert feedback.closed_at == now + 9 * H and feedback.outcome == "已新建基站"
    event = feedback.events.get(action=FeedbackEvent.Action.CLOSED)
    assert (event.from_state, event.to_state, event.reason) == ("replied", "closed", "已新建基站")
    with pytest.raises(ValidationError, match="已经办结"):
        services.case_close(feedback=feedback, moderator=moderator, outcome="再次")


def test_feedback_without_a_case_cannot_be_closed(submit, moderator):
    feedback = submit(kind="praise", overall_score=10)
    with pytest.raises(ValidationError, match="没有需要办结"):
        services.case_close(feedback=feedback, moderator=moderator, outcome="x")


def test_an_official_reply_emails_the_customer_after_commit(
    submit, moderator, django_capture_on_commit_callbacks
):
    feedback = submit(
        kind="complaint",
        wants_reply=True,
        name="王小明",
        phone="13812345678",
        email="wxm@example.com",
        consent=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.reply_create(feedback=feedback, author=moderator, body="已安排工程师上门。")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["wxm@example.com"]
    assert feedback.reference in message.subject
    assert "已安排工程师上门" in message.body and "/feedback/status/" in message.body
    with django_capture_on_commit_callbacks(execute=True):
        services.reply_create(
            feedback=feedback, author=moderator, body="内部", kind=Reply.Kind.NOTE
        )
    assert len(mail.outbox) == 1  # notes never go to the customer


def test_the_staff_page_replies_with_a_template_when_the_body_is_empty(
    moderator_client, submit, theme
):
    from tests.factories import ReplyTemplateFactory

    template = ReplyTemplateFactory(theme=theme, body="您好,网络问题已转交网络部处理。")
    feedback = submit(kind="complaint")
    response = moderator_client.get(f"/staff/feedback/{feedback.pk}/")
    assert template.title in response.content.decode()
    response = moderator_client.post(
        f"/staff/feedback/{feedback.pk}/reply/",
        {"kind": "official", "template": template.pk, "body": ""},
    )
    assert response.status_code == 302
    assert Reply.objects.get().body == template.body
    feedback.refresh_from_db()
    assert feedback.first_replied_at is not None


def test_the_staff_page_refuses_an_empty_reply_without_a_template(moderator_client, submit):
    feedback = submit(kind="complaint")
    response = moderator_client.post(
        f"/staff/feedback/{feedback.pk}/reply/", {"kind": "official", "body": ""}
    )
    assert response.status_code == 400
    assert "请填写回复内容" in response.content.decode()
    assert not Reply.objects.exists()


def test_the_staff_page_closes_a_case(moderator_client, submit, moderator):
    feedback = submit(kind="complaint")
    services.reply_create(feedback=feedback, author=moderator, body="您好。")
    response = moderator_client.post(
        f"/staff/feedback/{feedback.pk}/close/", {"outcome": "已上门处理"}
    )
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.case_status == Feedback.CaseStatus.CLOSED


def test_durations_read_naturally():
    assert format_duration(datetime.timedelta(minutes=8, seconds=59)) == "8分钟"
    assert format_duration(datetime.timedelta(hours=5, minutes=12)) == "5小时12分钟"
    assert format_duration(datetime.timedelta(days=2, hours=3, minutes=59)) == "2天3小时"
    assert format_duration(datetime.timedelta(seconds=-5)) == "0分钟"


def test_the_email_is_in_the_language_the_feedback_was_written_in(
    client, form_data, moderator, django_capture_on_commit_callbacks
):
    form_data.update(
        wants_reply="on", name="Li Lei", phone="13812345678", email="li@example.com", consent="on"
    )
    assert client.post("/en/feedback/new/", form_data).status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.language == "en"
    with django_capture_on_commit_callbacks(execute=True):
        services.reply_create(feedback=feedback, author=moderator, body="We are on it.")
    message = mail.outbox[0]
    assert message.subject == f"Your feedback {feedback.reference} has an official reply"
    assert "/en/feedback/status/" in message.body


def test_closing_a_case_emails_the_outcome(submit, moderator, django_capture_on_commit_callbacks):
    feedback = submit(
        kind="complaint",
        wants_reply=True,
        name="王小明",
        phone="13812345678",
        email="wxm@example.com",
        consent=True,
    )
    services.reply_create(feedback=feedback, author=moderator, body="您好。")
    with django_capture_on_commit_callbacks(execute=True):
        services.case_close(feedback=feedback, moderator=moderator, outcome="已更换光猫")
    message = mail.outbox[-1]
    assert message.subject == f"您的反馈 {feedback.reference} 已办结"
    assert "已更换光猫" in message.body
