"""Staff manage the campaign in the Django admin, in Chinese by default."""

import pytest

from tests.factories import OfficerQuotaFactory, SessionFactory, ThemeItemFactory

pytestmark = pytest.mark.django_db

MODELS = ["campaign", "theme", "activity", "session"]


@pytest.fixture
def data():
    SessionFactory.create_batch(3)
    ThemeItemFactory()
    return OfficerQuotaFactory()


@pytest.mark.parametrize("model", MODELS)
def test_admin_list_and_add_pages_load(staff_client, data, model):
    changelist = staff_client.get(f"/admin/campaigns/{model}/")
    assert changelist.status_code == 200
    assert staff_client.get(f"/admin/campaigns/{model}/add/").status_code == 200


def test_admin_is_chinese_by_default(staff_client, data):
    page = staff_client.get("/admin/").content.decode()
    assert "优质服务体验季 · 管理后台" in page


def test_activity_change_page_has_sessions_inline_and_slug_prepopulated(staff_client, data):
    session = SessionFactory()
    page = staff_client.get(f"/admin/campaigns/activity/{session.activity.pk}/change/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "sessions-TOTAL_FORMS" in html
    assert "prepopulated" in html


def test_session_list_filters_and_search(staff_client, data):
    SessionFactory(city="呼和浩特", venue="数据中心")
    response = staff_client.get("/admin/campaigns/session/", {"region__code__exact": "150100"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    response = staff_client.get("/admin/campaigns/session/", {"q": "数据中心"})
    assert response.context["cl"].result_count == 1


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get("/admin/campaigns/activity/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
