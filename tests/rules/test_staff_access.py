"""Rule: a staff page sends anonymous visitors to the login page and answers 403 to anyone
who is not staff holding the page's permission.

Home: campaigns/access.py staff_permission_required. Every staff page must answer alike.
"""

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.shortcuts import resolve_url

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# (page, the permission it needs)
PAGES = [
    ("/staff/feedback/", "feedback.moderate_feedback"),
    ("/staff/dashboard/", "feedback.view_dashboard"),
    ("/staff/report/", "feedback.view_dashboard"),
    ("/staff/exports/", "feedback.export_reports"),
    ("/staff/export/feedback.csv", "feedback.export_reports"),
]
STAFF_PERMISSIONS = {permission for _url, permission in PAGES}


def user_with(*permissions: str, is_staff: bool):
    user = UserFactory(is_staff=is_staff)
    for permission in permissions:
        app_label, codename = permission.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


def answers(client, url, user=None) -> int | str:
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    if response.status_code == 302:
        return "login" if response["Location"].startswith(resolve_url(settings.LOGIN_URL)) \
            else response["Location"]
    return response.status_code


@pytest.mark.parametrize(("url", "permission"), PAGES, ids=[url for url, _p in PAGES])
def test_every_staff_page_answers_each_kind_of_visitor_alike(client, url, permission):
    outcome = {
        "anonymous": answers(client, url),
        "logged in, not staff, with the permission": answers(
            client, url, user_with(permission, is_staff=False)
        ),
        "staff without any permission": answers(client, url, user_with(is_staff=True)),
        "staff with every other staff page's permission": answers(
            client, url, user_with(*STAFF_PERMISSIONS - {permission}, is_staff=True)
        ),
        "staff with the permission": answers(client, url, user_with(permission, is_staff=True)),
    }
    assert outcome == {
        "anonymous": "login",
        "logged in, not staff, with the permission": 403,
        "staff without any permission": 403,
        "staff with every other staff page's permission": 403,
        "staff with the permission": 200,
    }


def test_the_login_redirect_comes_back_to_the_page(client):
    response = client.get("/staff/dashboard/")
    assert response.status_code == 302
    assert response["Location"].endswith("?next=/staff/dashboard/")
