"""Each role sees exactly its part: 200 where it may go, 403 everywhere else."""

import pytest
from django.urls import reverse

from tests.factories import StaffFactory, UserFactory

ROLES = ("manager", "moderator", "analyst")


def _pages(session):
    """(name, url, roles that get 200)."""
    return [
        ("dashboard", reverse("feedback:dashboard"), {"manager", "moderator", "analyst"}),
        ("report", reverse("feedback:report"), {"manager", "moderator", "analyst"}),
        ("feedback csv", reverse("feedback:export_feedback", args=["csv"]), {"analyst"}),
        ("feedback xlsx", reverse("feedback:export_feedback", args=["xlsx"]), {"analyst"}),
        (
            "attendees",
            reverse("feedback:export_attendees", args=[session.pk, "csv"]),
            {"manager", "analyst"},
        ),
        (
            "applications",
            reverse("feedback:export_applications", args=["xlsx"]),
            {"moderator", "analyst"},
        ),
        ("staff queue", reverse("feedback:queue"), {"moderator"}),
        ("admin activity add", reverse("admin:campaigns_activity_add"), {"manager"}),
        ("admin session list", reverse("admin:campaigns_session_changelist"), {"manager"}),
        ("admin signups", reverse("admin:campaigns_signup_changelist"), {"manager"}),
        (
            "admin applications",
            reverse("admin:campaigns_officerapplication_changelist"),
            {"moderator"},
        ),
        (
            "admin reception cases",
            reverse("admin:campaigns_receptioncase_changelist"),
            {"moderator"},
        ),
        ("admin feedback", reverse("admin:feedback_feedback_changelist"), {"moderator"}),
        ("admin reply templates", reverse("admin:feedback_replytemplate_add"), {"moderator"}),
        ("admin export jobs", reverse("admin:feedback_exportjob_changelist"), set()),
        ("admin users", reverse("admin:auth_user_changelist"), set()),
        ("admin groups", reverse("admin:auth_group_changelist"), set()),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_its_pages(role, request, as_user, session):
    client = as_user(request.getfixturevalue(role))
    outcome = {
        name: client.get(url).status_code for name, url, _allowed in _pages(session)
    }
    expected = {
        name: 200 if role in allowed else 403 for name, _url, allowed in _pages(session)
    }
    assert outcome == expected


@pytest.mark.django_db
def test_superuser_gets_every_page(as_user, session):
    client = as_user(StaffFactory())
    for name, url, _allowed in _pages(session):
        assert client.get(url).status_code == 200, name


@pytest.mark.django_db
def test_staff_without_a_role_gets_403_and_non_staff_with_a_role_too(as_user, analyst):
    client = as_user(UserFactory(is_staff=True))
    assert client.get(reverse("feedback:dashboard")).status_code == 403
    analyst.is_staff = False
    analyst.save(update_fields=["is_staff"])
    client.force_login(analyst)
    assert client.get(reverse("feedback:dashboard")).status_code == 403
    assert client.get(reverse("feedback:export_feedback", args=["csv"])).status_code == 403


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login_page(client, session):
    for _name, url, _allowed in _pages(session)[:6]:
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]


@pytest.mark.django_db
def test_no_role_holds_the_personal_data_permission():
    from django.contrib.auth.models import Group

    groups = Group.objects.filter(name__in=["活动管理员", "审核员", "数据分析员"])
    assert groups.count() == 3
    assert not groups.filter(permissions__codename="view_personal_data").exists()


@pytest.mark.django_db
def test_staff_nav_shows_the_staff_home_link_only_to_staff(client, analyst):
    assert "工作台" not in client.get(reverse("campaigns:home")).content.decode()
    client.force_login(analyst)
    page = client.get(reverse("campaigns:home")).content.decode()
    assert f'href="{reverse("feedback:staff_home")}"' in page


@pytest.mark.django_db
def test_unknown_export_format_is_404(as_user, analyst):
    response = as_user(analyst).get(reverse("feedback:export_feedback", args=["pdf"]))
    assert response.status_code == 404
