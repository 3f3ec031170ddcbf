"""Errors are shown in the site's own style, in the visitor's language, without internals."""

import pytest
from django.template.loader import render_to_string

pytestmark = pytest.mark.django_db


def test_404_page_is_styled_and_translated(client):
    response = client.get("/activities/no-such-activity/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in page and "返回首页" in page and "site.css" in page
    english = client.get("/en/activities/no-such-activity/").content.decode()
    assert "Page not found" in english


def test_unpublished_activity_is_invisible(client):
    from tests.factories import SessionFactory

    session = SessionFactory(activity__is_published=False, activity__title="内部测试活动")
    activity = session.activity
    assert client.get(activity.get_absolute_url()).status_code == 404
    for path in ("/", "/activities/", f"/activities/?city={session.region_id}"):
        assert "内部测试活动" not in client.get(path).content.decode()


def test_500_page_renders_without_a_request():
    # Django renders 500.html with an empty context: it must still be the site's page.
    page = render_to_string("500.html")
    assert "服务暂时不可用" in page and "site.css" in page
    assert "48小时首次回复客户投诉" in page


def test_403_and_csrf_pages_render():
    assert "没有权限" in render_to_string("403.html")
    assert "页面已过期" in render_to_string("403_csrf.html")


def test_missing_csrf_token_gets_the_styled_403(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/my/lookup/", {"phone": "13800138000", "reference": "ABCD-EFGH"})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()
