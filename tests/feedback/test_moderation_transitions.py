"""Every moderation transition, its audit entry, and who may moderate at all."""

import pytest
from django.core.exceptions import ValidationError

from feedback import services
from feedback.models import Feedback, FeedbackEvent
from tests.factories import FeedbackFactory, UserFactory

pytestmark = pytest.mark.django_db

P, PUB, REJ, HID = (
    Feedback.State.PENDING,
    Feedback.State.PUBLISHED,
    Feedback.State.REJECTED,
    Feedback.State.HIDDEN,
)


def _publish(feedback, moderator, now):
    return services.feedback_publish(feedback=feedback, moderator=moderator, now=now)


def _reject(feedback, moderator, now):
    return services.feedback_reject(feedback=feedback, moderator=moderator, reason="广告", now=now)


def _hide(feedback, moderator, now):
    return services.feedback_hide(
        feedback=feedback, moderator=moderator, reason="含个人信息", now=now
    )


@pytest.mark.parametrize(
    ("start", "action", "end", "reason"),
    [
        (P, _publish, PUB, ""),
        (P, _reject, REJ, "广告"),
        (P, _hide, HID, "含个人信息"),
        (PUB, _hide, HID, "含个人信息"),
        (HID, _publish, PUB, ""),
        (REJ, _publish, PUB, ""),
    ],
)
def test_allowed_transitions_change_state_and_write_one_audit_entry(
    start, action, end, reason, moderator, now
):
    feedback = FeedbackFactory(state=start, rejection_reason="x" if start == REJ else "")
    action(feedback, moderator, now)
    feedback.refresh_from_db()
    assert feedback.state == end
    assert feedback.moderated_by == moderator and feedback.moderated_at == now
    event = FeedbackEvent.objects.get(feedback=feedback)
    assert (event.actor, event.from_state, event.to_state, event.reason, event.created_at) == (
        moderator,
        start,
        end,
        reason,
        now,
    )
    assert event.action == {PUB: "published", REJ: "rejected", HID: "hidden"}[end]


@pytest.mark.parametrize(
    ("start", "action"),
    [(PUB, _publish), (PUB, _reject), (REJ, _reject), (REJ, _hide), (HID, _hide), (HID, _reject)],
)
def test_forbidden_transitions_raise_and_write_nothing(start, action, moderator, now):
    feedback = FeedbackFactory(state=start, rejection_reason="x" if start == REJ else "")
    with pytest.raises(ValidationError) as error:
        action(feedback, moderator, now)
    assert "不能从" in error.value.messages[0]
    feedback.refresh_from_db()
    assert feedback.state == start
    assert not FeedbackEvent.objects.exists()


def test_rejecting_needs_a_reason(moderator):
    feedback = FeedbackFactory(state=P)
    with pytest.raises(ValidationError) as error:
        services.feedback_reject(feedback=feedback, moderator=moderator, reason="   ")
    assert "原因" in error.value.messages[0]
    feedback.refresh_from_db()
    assert feedback.state == P and not FeedbackEvent.objects.exists()


def test_publishing_clears_an_earlier_rejection_reason(moderator):
    feedback = FeedbackFactory(state=P)
    services.feedback_reject(feedback=feedback, moderator=moderator, reason="重复提交")
    services.feedback_publish(feedback=feedback, moderator=moderator)
    feedback.refresh_from_db()
    assert feedback.state == PUB and feedback.rejection_reason == ""
    assert [e.action for e in feedback.events.all()] == ["rejected", "published"]


# --- Through the staff pages -------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get("/staff/feedback/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_staff_without_the_moderation_permission_get_403(client, db):
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/staff/feedback/").status_code == 403
    feedback = FeedbackFactory(state=P)
    assert (
        client.post(f"/staff/feedback/{feedback.pk}/moderate/", {"action": "publish"}).status_code
        == 403
    )
    feedback.refresh_from_db()
    assert feedback.state == P


def test_a_moderator_rejects_with_a_reason_on_the_staff_page(moderator_client, moderator):
    feedback = FeedbackFactory(state=P)
    url = f"/staff/feedback/{feedback.pk}/moderate/"
    response = moderator_client.post(url, {"action": "reject", "reason": ""})
    assert response.status_code == 400
    assert "驳回时请填写原因" in response.content.decode()
    response = moderator_client.post(url, {"action": "reject", "reason": "与活动无关"})
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.state == REJ and feedback.rejection_reason == "与活动无关"
    assert feedback.events.get().actor == moderator


def test_a_forbidden_transition_on_the_staff_page_is_a_form_error(moderator_client):
    feedback = FeedbackFactory(state=PUB)
    response = moderator_client.post(
        f"/staff/feedback/{feedback.pk}/moderate/", {"action": "reject", "reason": "x"}
    )
    assert response.status_code == 400
    assert "不能从" in response.content.decode()


def test_bulk_publish_and_reject(moderator_client):
    pending = FeedbackFactory.create_batch(3, state=P)
    published = FeedbackFactory(state=PUB)
    ids = [f.pk for f in pending[:2]] + [published.pk]
    response = moderator_client.post(
        "/staff/feedback/bulk/", {"action": "reject", "ids": ids, "reason": "广告"}, follow=True
    )
    page = response.content.decode()
    assert "已处理 2 条反馈" in page and published.reference in page
    assert set(Feedback.objects.filter(state=REJ).values_list("pk", flat=True)) == set(ids[:2])
    moderator_client.post("/staff/feedback/bulk/", {"action": "publish", "ids": [pending[2].pk]})
    pending[2].refresh_from_db()
    assert pending[2].state == PUB
    assert FeedbackEvent.objects.count() == 3


def test_bulk_reject_without_a_reason_changes_nothing(moderator_client):
    feedback = FeedbackFactory(state=P)
    response = moderator_client.post(
        "/staff/feedback/bulk/", {"action": "reject", "ids": [feedback.pk]}, follow=True
    )
    assert "批量驳回时请填写原因" in response.content.decode()
    feedback.refresh_from_db()
    assert feedback.state == P and not FeedbackEvent.objects.exists()


def test_bulk_with_garbage_ids_does_not_crash(moderator_client):
    response = moderator_client.post(
        "/staff/feedback/bulk/", {"action": "publish", "ids": ["x", "<b>"]}, follow=True
    )
    assert response.status_code == 200
    assert "所选反馈无效" in response.content.decode()
    response = moderator_client.post("/staff/feedback/bulk/", {"action": "publish"}, follow=True)
    assert "请至少选择一条反馈" in response.content.decode()


def test_admin_actions_use_the_services_and_the_audit_log_is_read_only(admin_client, db):
    feedback = FeedbackFactory(state=P)
    response = admin_client.post(
        "/admin/feedback/feedback/",
        {"action": "publish_selected", "_selected_action": [feedback.pk]},
    )
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.state == PUB
    event = feedback.events.get()
    assert event.action == "published"
    assert admin_client.get(f"/admin/feedback/feedbackevent/{event.pk}/change/").status_code == 200
    assert admin_client.get("/admin/feedback/feedbackevent/").status_code == 200
    assert admin_client.post(f"/admin/feedback/feedbackevent/{event.pk}/delete/").status_code == 403
    assert admin_client.get(f"/admin/feedback/feedback/{feedback.pk}/change/").status_code == 200
