"""`load_demo` builds the campaign from the seed article and can be run again safely."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from campaigns.models import Activity, Campaign, OfficerQuota, Session, Theme, ThemeItem
from tests.factories import SignupFactory

pytestmark = pytest.mark.django_db

MODELS = (Campaign, Theme, ThemeItem, Activity, Session, OfficerQuota)


def snapshot():
    """Every stored value, except bookkeeping timestamps that record when a row was saved."""
    snap = {}
    for model in MODELS:
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if f.name not in {"created_at", "updated_at"}
        ]
        snap[model.__name__] = sorted(map(str, model.objects.values_list(*fields)))
    return snap


def load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_demo_has_the_campaign_themes_and_all_three_kinds():
    load()
    campaign = Campaign.objects.get()
    assert campaign.slogan == "心级服务，优+体验"
    assert set(Theme.objects.values_list("name", flat=True)) == {"优+网络", "优+产品", "优+服务"}
    assert ThemeItem.objects.filter(name="视频彩铃", theme__name="优+产品").exists()
    assert set(Activity.objects.values_list("kind", flat=True)) == set(Activity.Kind.values)
    assert Session.objects.filter(is_online=False).values("region").distinct().count() >= 3


def test_demo_has_a_nearly_full_a_full_and_a_past_session():
    load()
    states = {session.state() for session in Session.objects.select_related("activity")}
    assert {Session.State.FEW_LEFT, Session.State.WAITLIST, Session.State.CLOSED} <= states


def test_running_twice_gives_the_same_data():
    load()
    first = snapshot()
    load()
    assert snapshot() == first


def test_prints_a_staff_login_that_works(client):
    output = load()
    username, password = output.split("Staff login: ")[1].splitlines()[0].strip().split(" / ")
    user = get_user_model().objects.get(username=username)
    assert user.is_staff
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR="127.0.0.1",
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_prints_the_regional_staff_who_see_their_regions(client):
    output = load()
    assert "wuhan (地市分公司)" in output and "hubei (省公司)" in output
    password = output.split("Staff login: ")[1].splitlines()[0].split(" / ")[1].strip()
    response = client.post("/admin/login/?next=/staff/feedback/",
                           {"username": "wuhan", "password": password}, REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 302
    page = client.get("/staff/feedback/").content.decode()
    assert "DEME2345" in page and "DEMF2345" not in page  # Wuhan's, not Guangzhou's


def test_the_demo_texts_none_of_its_invented_numbers(sms_outbox,
                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        load()
    assert sms_outbox == []


def test_texts_flow_again_after_the_demo(sms_outbox, django_capture_on_commit_callbacks):
    load()
    with django_capture_on_commit_callbacks(execute=True):
        SignupFactory()
    assert [m.kind for m in sms_outbox] == ["signup_confirmed"]
