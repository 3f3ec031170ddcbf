"""Staff land where their role works: logging in goes to 工作台 (the first staff page their
permissions open), every staff page carries the staff navigation, the admin index links back,
and an analyst meets no dead end."""

import pytest
from django.test import Client

from tests.factories import AnalystFactory, ModeratorFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def log_in(user) -> Client:
    client = Client()
    response = client.post("/admin/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    client.landing = response["Location"]
    return client


def test_logging_in_lands_on_the_staff_home_and_then_the_users_page():
    client = log_in(StaffFactory())
    assert client.landing == "/staff/"
    assert client.get("/staff/")["Location"] == "/staff/dashboard/"
    moderator = log_in(ModeratorFactory())
    assert moderator.get("/staff/")["Location"] == "/staff/feedback/"


def test_an_analyst_lands_on_the_dashboard():
    client = Client()
    client.force_login(AnalystFactory())
    assert client.get("/staff/")["Location"] == "/staff/dashboard/"


def test_a_staff_member_without_a_role_lands_on_the_admin_index_which_links_back():
    user = UserFactory(is_staff=True)
    client = log_in(user)
    assert client.get("/staff/")["Location"] == "/admin/"
    assert 'href="/staff/"' in client.get("/admin/").content.decode()


def test_staff_pages_carry_the_staff_navigation_by_permission():
    client = Client()
    client.force_login(ModeratorFactory())
    page = client.get("/staff/feedback/").content.decode()
    assert 'aria-label="工作人员导航"' in page
    assert 'href="/staff/feedback/"' in page
    assert 'href="/staff/dashboard/"' not in page  # a moderator may not open it
    public = client.get("/").content.decode()
    assert 'aria-label="工作人员导航"' not in public


def test_a_next_address_is_still_honoured():
    client = Client()
    user = StaffFactory()
    response = client.post("/admin/login/?next=/staff/feedback/",
                           {"username": user.username, "password": PASSWORD,
                            "next": "/staff/feedback/"})
    assert response["Location"] == "/staff/feedback/"


def test_the_favicon_is_served():
    response = Client().get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith(".ico")
