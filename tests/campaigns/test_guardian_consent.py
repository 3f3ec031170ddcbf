"""The guardian's confirmation is asked for only when a minor comes to an open day.

On the page it is tied to "同行人中有未成年人" (static/js/show-when-checked.js hides it until
that box is ticked; tests/e2e/test_guardian_consent.py watches it in a browser). Without the
script it is simply on the page, and the server asks for it only when a minor comes.
"""

import pytest
from django.urls import reverse

from campaigns.models import Signup
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

GUARDIAN_ERROR = "未成年人须由监护人陪同参观，请确认。"


def data(**overrides):
    return {"name": "王小明", "phone": "13800138000", "companions": "1",
            "rules_accepted": "on", "consent": "on", **overrides}


@pytest.fixture
def url():
    session = SessionFactory(capacity=30)
    return reverse("campaigns:signup", args=[session.activity.slug, session.pk])


def test_the_page_ties_the_confirmation_to_the_minor_box_and_loads_its_script(client, url):
    html = client.get(url).content.decode()
    assert 'data-show-when-checked="id_with_minors"' in html
    assert 'name="guardian_confirmed"' in html  # on the page: without the script it shows
    assert "js/show-when-checked.js" in html


def test_no_minor_no_confirmation_needed(client, url):
    response = client.post(url, data())
    assert response.status_code == 302
    signup = Signup.objects.get()
    assert signup.companions == 1 and not signup.with_minors


def test_a_minor_without_the_confirmation_is_refused_and_nothing_is_lost(client, url):
    response = client.post(url, data(with_minors="on", interests="5G基站"))
    assert response.status_code == 200
    html = response.content.decode()
    assert GUARDIAN_ERROR in html
    assert 'value="5G基站"' in html and 'name="with_minors" class="checkboxinput' in html
    assert "checked" in html.split('name="with_minors"')[1].split(">")[0]
    assert not Signup.objects.exists()


def test_a_minor_with_the_confirmation_is_booked(client, url):
    response = client.post(url, data(with_minors="on", guardian_confirmed="on"))
    assert response.status_code == 302
    assert Signup.objects.get().with_minors


def test_a_confirmation_ticked_without_a_minor_changes_nothing(client, url):
    """The box may have been ticked, then the minor box unticked (the part hides, keeping it)."""
    response = client.post(url, data(guardian_confirmed="on"))
    assert response.status_code == 302
    assert not Signup.objects.get().with_minors
