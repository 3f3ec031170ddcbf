"""Personal data typed into free text never reaches a public page; moderators see both."""

import pytest

from feedback import services
from feedback.models import Feedback

pytestmark = pytest.mark.django_db

SECRETS = ("13812345678", "110101199003077777", "wang.xm@example.com", "王小明")
COMMENT = "网络太差!我叫王小明,电话13812345678,身份证110101199003077777,邮箱wang.xm@example.com"


@pytest.fixture
def published(submit, moderator):
    feedback = submit(
        kind="complaint",
        overall_score=3,
        comment=COMMENT,
        wants_reply=True,
        name="王小明",
        phone="13812345678",
        email="wang.xm@example.com",
        consent=True,
    )
    services.feedback_publish(feedback=feedback, moderator=moderator)
    return feedback


def test_the_public_version_is_masked_at_submission(published):
    assert published.comment == COMMENT
    for secret in SECRETS[:3]:
        assert secret not in published.public_comment
    assert "138****5678" in published.public_comment


def test_the_wall_shows_no_personal_data_and_a_masked_author(client, published):
    page = client.get("/feedback/").content.decode()
    assert "网络太差" in page
    for secret in SECRETS:
        assert secret not in page
    assert "王**" in page


def test_the_status_page_shows_the_masked_text_too(client, published):
    response = client.post(
        "/feedback/status/", {"reference": published.reference, "phone": "13812345678"}
    )
    page = response.content.decode()
    assert "网络太差" in page
    for secret in SECRETS[1:3]:
        assert secret not in page


def test_moderators_without_the_permission_see_only_the_public_version(
    moderator_client, published
):
    for url in (f"/staff/feedback/{published.pk}/", f"/staff/feedback/{published.pk}/?original=1"):
        page = moderator_client.get(url).content.decode()
        assert "公开版本" in page and "1****************7" in page
        assert "原文（仅工作人员可见）" not in page and "110101199003077777" not in page


def test_the_original_is_shown_on_request_with_the_permission_and_recorded(
    moderator_client, moderator, published
):
    from campaigns.models import AuditEntry
    from tests.factories import grant_personal_data

    grant_personal_data(moderator)
    url = f"/staff/feedback/{published.pk}/"
    page = moderator_client.get(url).content.decode()
    assert "显示原文" in page and "110101199003077777" not in page
    page = moderator_client.get(url + "?original=1").content.decode()
    assert "原文（仅工作人员可见）" in page and "110101199003077777" in page
    views = AuditEntry.objects.filter(action="view_personal_data", object_id=published.pk)
    assert views.count() == 2


def test_an_edited_public_text_is_masked_again(submit, moderator):
    feedback = submit()
    services.feedback_publish(
        feedback=feedback, moderator=moderator, public_comment="请拨打 139 1234 5678 联系我"
    )
    feedback.refresh_from_db()
    assert feedback.public_comment == "请拨打 139****5678 联系我"
    assert feedback.state == Feedback.State.PUBLISHED


def test_an_anonymous_author_is_shown_as_such(client, submit, moderator):
    services.feedback_publish(feedback=submit(), moderator=moderator)
    assert "匿名用户" in client.get("/feedback/").content.decode()


def test_the_wall_publishes_what_was_typed_with_only_the_number_hidden(client, form_data,
                                                                        moderator):
    form_data["comment"] = "很耐心，讲解清楚：有事打138\u200b1234\u200b5678！👍\n下次还来。"
    assert client.post("/feedback/new/", form_data).status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.public_comment == "很耐心，讲解清楚：有事打138****5678！👍\n下次还来。"
    services.feedback_publish(feedback=feedback, moderator=moderator)
    page = client.get("/feedback/").content.decode()
    assert "很耐心，讲解清楚：有事打138****5678！👍" in page
    assert "12345678" not in page.replace("\u200b", "")
