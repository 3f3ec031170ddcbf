"""A rejected officer applicant cannot withdraw the rejection and apply again while the window
is open: the rule lives in `application_withdraw`, so the page, the service and any other
caller refuse alike."""

import pytest
from django.urls import reverse

from campaigns import services
from campaigns.models import OfficerApplication
from tests.factories import OfficerQuotaFactory, StaffFactory, ThemeItemFactory

from .test_officer_application import apply_url, data

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(db):
    quota = OfficerQuotaFactory(city="成都", places=2)
    quota.activity.item = ThemeItemFactory(theme__campaign=quota.activity.campaign)
    return quota.activity


@pytest.fixture
def rejected(client, activity):
    client.post(apply_url(activity), data(activity))
    application = OfficerApplication.objects.get()
    services.application_review(
        application=application, reviewer=StaffFactory(), status="rejected",
        reason="城市名额已满,感谢关注。",
    )
    return application


def test_the_service_refuses_to_withdraw_a_rejection(rejected):
    with pytest.raises(services.SignupError) as error:
        services.application_withdraw(application=rejected)
    assert error.value.code == "not_withdrawable"
    rejected.refresh_from_db()
    assert rejected.status == OfficerApplication.Status.REJECTED


def test_a_rejected_applicant_sees_no_withdraw_button_and_a_forged_post_changes_nothing(
    client, rejected
):
    detail = reverse("campaigns:my_detail", args=[rejected.reference])
    page = client.get(detail).content.decode()
    assert "撤回报名" not in page
    response = client.post(reverse("campaigns:my_cancel", args=[rejected.reference]), follow=True)
    assert "无法撤回" in response.content.decode()
    rejected.refresh_from_db()
    assert rejected.status == OfficerApplication.Status.REJECTED


def test_the_same_number_cannot_apply_again_after_trying_to_withdraw(client, activity, rejected):
    client.post(reverse("campaigns:my_cancel", args=[rejected.reference]))
    response = client.post(apply_url(activity), data(activity))
    assert response.status_code == 200
    assert "已经提交过报名" in response.content.decode()
    assert OfficerApplication.objects.count() == 1


def test_a_pending_application_can_still_be_withdrawn(client, activity):
    client.post(apply_url(activity), data(activity))
    application = OfficerApplication.objects.get()
    services.application_withdraw(application=application)
    application.refresh_from_db()
    assert application.status == OfficerApplication.Status.WITHDRAWN
