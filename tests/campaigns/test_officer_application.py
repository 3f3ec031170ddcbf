"""我是服务体验官: apply online; staff accept, reject or keep in reserve with a reason."""

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns import services
from campaigns.models import Activity, AuditEntry, OfficerApplication
from tests.factories import (
    OfficerApplicationFactory,
    OfficerQuotaFactory,
    StaffFactory,
    ThemeItemFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(db):
    quota = OfficerQuotaFactory(city="成都", places=2)
    item = ThemeItemFactory(theme__campaign=quota.activity.campaign, name="视频彩铃")
    quota.activity.item = item
    return quota.activity


def data(activity, **overrides):
    values = {
        "name": "李娜",
        "phone": "137 0000 1234",
        "email": "",
        "is_customer": "on",
        "birth_year": str(timezone.localdate().year - 30),
        "region": "510100",  # 成都市
        "occupation": "employee",
        "services": [str(activity.item.pk)],
        "tenure": "3_to_10",
        "theme": str(activity.item.theme_id),
        "participation": "either",
        "motivation": "我是一名上班族,每天通勤时都用5G网络看视频、开视频会议,"
        "也经常帮父母办理业务,希望把真实的体验和建议告诉中国移动。",
        "code_accepted": "on",
        "consent": "on",
    }
    values.update(overrides)
    return values


def apply_url(activity):
    return reverse("campaigns:apply", args=[activity.slug])


def test_applicant_submits_and_gets_a_reference(client, activity):
    page = client.get(activity.get_absolute_url()).content.decode()
    assert apply_url(activity) in page
    response = client.post(apply_url(activity), data(activity))
    assert response.status_code == 302
    application = OfficerApplication.objects.get()
    assert application.phone == "13700001234" and application.status == "pending"
    assert list(application.services.all()) == [activity.item]
    assert application.code_accepted_at and application.privacy_version == "2026-11-26"
    assert application.reference_display in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("birth_year", str(timezone.localdate().year - 17), "年满18周岁"),
        ("birth_year", str(timezone.localdate().year - 66), "不超过65周岁"),
        ("birth_year", "一九九〇", "四位数"),
        ("motivation", "我想参加。", "至少写50个字"),
        ("motivation", "好" * 501, "最多500个字"),
        ("region", "540100", "该城市暂不招募"),  # 拉萨市: no quota there
        ("code_accepted", "", "服务体验官守则"),
        ("consent", "", "个人信息保护说明"),
        ("phone", "12345", "11位中国大陆手机号码"),
    ],
)
def test_bad_answers_are_explained_next_to_the_field(client, activity, field, value, message):
    response = client.post(apply_url(activity), data(activity, **{field: value}))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors[field])
    assert "我是一名上班族" in response.content.decode() or field == "motivation"
    assert not OfficerApplication.objects.exists()


def test_one_application_per_phone(client, activity):
    client.post(apply_url(activity), data(activity))
    response = client.post(apply_url(activity), data(activity))
    assert "已经提交过报名" in response.content.decode()
    assert OfficerApplication.objects.count() == 1


def test_review_needs_a_reason_to_reject_or_reserve_and_records_it():
    application = OfficerApplicationFactory()
    reviewer = StaffFactory()
    with pytest.raises(services.SignupError, match="请填写原因"):
        services.application_review(application=application, reviewer=reviewer,
                                    status="rejected", reason=" ")
    services.application_review(application=application, reviewer=reviewer, status="reserve",
                                reason="北京名额已满,列入候补")
    application.refresh_from_db()
    assert application.status == "reserve" and application.reviewed_by == reviewer
    entry = AuditEntry.objects.get(action="application.review")
    assert (entry.from_state, entry.to_state, entry.reason) == (
        "pending", "reserve", "北京名额已满,列入候补"
    )
    assert entry.actor == reviewer


def test_acceptance_stops_at_the_city_quota():
    activity = OfficerQuotaFactory(city="杭州", places=1).activity
    first, second = (OfficerApplicationFactory(activity=activity, city="杭州") for _ in range(2))
    reviewer = StaffFactory()
    services.application_review(application=first, reviewer=reviewer, status="accepted")
    with pytest.raises(services.SignupError, match="名额已满"):
        services.application_review(application=second, reviewer=reviewer, status="accepted")
    second.refresh_from_db()
    assert second.status == "pending"


def test_cannot_apply_for_a_session_activity_as_officer():
    activity = OfficerQuotaFactory(activity__kind=Activity.Kind.OPEN_DAY).activity
    with pytest.raises(services.NotBookable):
        OfficerApplicationFactory(activity=activity)
