"""The national team gives a staff member their regions on the user's admin page; a level
and its regions must agree."""

import pytest
from django.urls import reverse

from campaigns.models import StaffScope
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def post(client, user, **scope):
    url = reverse("admin:auth_user_change", args=[user.pk])
    data = {
        "username": user.username, "is_active": "on", "is_staff": "on",
        "date_joined_0": "2026-11-01", "date_joined_1": "09:00:00",
        "staff_scope-TOTAL_FORMS": "1", "staff_scope-INITIAL_FORMS": "0",
        "staff_scope-MIN_NUM_FORMS": "0", "staff_scope-MAX_NUM_FORMS": "1",
        "staff_scope-0-weekly_report": "on", "staff_scope-0-escalation_alerts": "on",
        **{f"staff_scope-0-{key}": value for key, value in scope.items()},
    }
    return client.post(url, data)


def test_a_city_scope_is_given_on_the_users_page(client):
    client.force_login(StaffFactory())
    user = UserFactory(is_staff=True)
    response = post(client, user, level="city", regions=["420100"], alert_phone="139 0000 0001")
    assert response.status_code == 302, response.content.decode()[-3000:]
    scope = StaffScope.objects.get(user=user)
    assert scope.level == "city" and [r.code for r in scope.regions.all()] == ["420100"]
    assert scope.alert_phone == "13900000001"


@pytest.mark.parametrize(("level", "regions", "message"), [
    ("province", ["420100"], "省公司请选择一个或多个省份"),
    ("city", [], "地市分公司请选择一个或多个城市"),
    ("national", ["420000"], "全国范围不选省份或城市"),
])
def test_a_level_and_its_regions_must_agree(client, level, regions, message):
    client.force_login(StaffFactory())
    user = UserFactory(is_staff=True)
    response = post(client, user, level=level, regions=regions)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not StaffScope.objects.filter(user=user).exists()
