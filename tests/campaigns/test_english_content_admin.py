"""Staff write the campaign's texts in Chinese and, optionally, in English, together in
the admin; whatever the admin's language, the record keeps its Chinese text as its own."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from campaigns.models import Activity, Session
from tests.factories import (
    ActivityFactory,
    CampaignFactory,
    SessionFactory,
    StaffFactory,
    region,
)

pytestmark = pytest.mark.django_db


def activity_post(campaign, **texts) -> dict:
    """The activity admin form as staff submit it (no sessions, no quotas)."""
    opens = timezone.localtime() - datetime.timedelta(days=1)
    closes = opens + datetime.timedelta(days=30)
    data = {
        "campaign": campaign.pk, "kind": "open_day", "slug": "5g-brain", "region": "",
        "title_zh_hans": "探秘5G网络大脑", "title_en": "",
        "summary_zh_hans": "走进网络运营中心。", "summary_en": "",
        "description_zh_hans": "参观网络运营中心大屏。", "description_en": "",
        "eligibility_zh_hans": "", "eligibility_en": "",
        "rules_zh_hans": "", "rules_en": "",
        "is_published": "on", "order": "0",
        "signup_opens_at_0": opens.strftime("%Y-%m-%d"), "signup_opens_at_1": "09:00:00",
        "signup_closes_at_0": closes.strftime("%Y-%m-%d"), "signup_closes_at_1": "18:00:00",
    }
    for prefix in ("sessions", "quotas"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0",
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
    data.update(texts)
    return data


def saved(response):
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else response
    )


def original_column(model, pk, field):
    """The untranslated column, as reports and exports read it."""
    return model.objects.rewrite(False).filter(pk=pk).values_list(field, flat=True).get()


def test_the_activity_form_asks_for_each_text_in_chinese_and_in_english(staff_client):
    html = staff_client.get("/admin/campaigns/activity/add/").content.decode()
    for field in ("title", "summary", "description", "eligibility", "rules"):
        assert f'name="{field}_zh_hans"' in html and f'name="{field}_en"' in html
        assert f'name="{field}"' not in html
    assert "标题（中文）" in html and "标题（英文）" in html
    assert "选填。留空时，英文网站显示中文内容。" in html
    # The Chinese title is required, the English one is not.
    assert re.search(r'<input[^>]*name="title_zh_hans"[^>]*required', html)
    assert not re.search(r'<input[^>]*name="title_en"[^>]*required', html)
    english = staff_client.get("/en/admin/campaigns/activity/add/").content.decode()
    assert "Title (Chinese)" in english and "Title (English)" in english
    assert "Optional. Left empty, the English site shows the Chinese." in english


def test_the_admin_saves_both_languages(staff_client):
    campaign = CampaignFactory()
    response = staff_client.post("/admin/campaigns/activity/add/", activity_post(
        campaign, title_en="Inside the 5G network's brain", summary_en="Step inside.",
    ))
    saved(response)
    activity = Activity.objects.get(slug="5g-brain")
    assert activity.title_zh_hans == "探秘5G网络大脑"
    assert activity.title_en == "Inside the 5G network's brain"
    assert activity.summary_en == "Step inside."
    assert activity.description_en in ("", None)  # left empty: the English site shows Chinese
    assert original_column(Activity, activity.pk, "title") == "探秘5G网络大脑"


def test_saving_in_the_english_admin_keeps_the_chinese_as_the_records_own_text(staff_client):
    campaign = CampaignFactory()
    saved(staff_client.post("/en/admin/campaigns/activity/add/", activity_post(
        campaign, title_en="Inside the 5G network's brain",
    )))
    activity = Activity.objects.get(slug="5g-brain")
    assert original_column(Activity, activity.pk, "title") == "探秘5G网络大脑"
    assert activity.title_en == "Inside the 5G network's brain"


def test_clearing_the_english_text_in_the_english_admin_brings_the_chinese_back(staff_client):
    activity = ActivityFactory(slug="5g-brain", title="探秘5G网络大脑", title_en="Old title")
    saved(staff_client.post(
        f"/en/admin/campaigns/activity/{activity.pk}/change/",
        activity_post(activity.campaign, title_en=""),
    ))
    activity.refresh_from_db()
    assert activity.title_en in ("", None)
    assert activity.title_zh_hans == "探秘5G网络大脑"
    assert "探秘5G网络大脑" in staff_client.get("/en/activities/5g-brain/").content.decode()


def test_a_missing_chinese_title_is_refused_and_nothing_is_saved(staff_client):
    campaign = CampaignFactory()
    response = staff_client.post("/admin/campaigns/activity/add/", activity_post(
        campaign, title_zh_hans="", title_en="Only English",
    ))
    assert response.status_code == 200
    assert "title_zh_hans" in response.context["adminform"].form.errors
    assert not Activity.objects.exists()


def test_the_session_admin_saves_an_english_venue(staff_client):
    session = SessionFactory(venue="网络运营中心")
    start = timezone.localtime(session.starts_at)
    end = timezone.localtime(session.ends_at)
    saved(staff_client.post(f"/admin/campaigns/session/{session.pk}/change/", {
        "activity": session.activity.pk, "title_zh_hans": "第一场", "title_en": "Session 1",
        "starts_at_0": start.strftime("%Y-%m-%d"), "starts_at_1": start.strftime("%H:%M:%S"),
        "ends_at_0": end.strftime("%Y-%m-%d"), "ends_at_1": end.strftime("%H:%M:%S"),
        "region": session.region_id, "venue_zh_hans": "网络运营中心",
        "venue_en": "Network Operations Centre", "online_url": "", "capacity": "30",
        "waitlist_enabled": "on", "waitlist_limit": "0", "notes": "",
    }))
    session.refresh_from_db()
    assert (session.title_en, session.venue_en) == ("Session 1", "Network Operations Centre")
    assert original_column(Session, session.pk, "venue") == "网络运营中心"


def test_the_admin_searches_both_languages(staff_client):
    ActivityFactory(title="探秘5G网络大脑", title_en="Inside the 5G network's brain")
    for query in ("探秘", "Inside"):
        for prefix in ("", "/en"):
            response = staff_client.get(f"{prefix}/admin/campaigns/activity/", {"q": query})
            assert response.context["cl"].result_count == 1, (prefix, query)


@pytest.mark.parametrize("path", ["activity/add/", "campaign/add/", "theme/add/",
                                  "session/add/"])
def test_the_translated_forms_load_nothing_from_elsewhere_and_nothing_inline(staff_client, path):
    response = staff_client.get(f"/admin/campaigns/{path}")
    html = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    # Every script is a file of this site (no inline code, no other host).
    assert scripts and all(re.search(r'src="/(?!/)', tag) for tag in scripts), scripts
    assert "googleapis" not in html and "jquery-ui" not in html
    stylesheets = re.findall(r'<link rel="stylesheet"[^>]*href="([^"]+)"', html)
    assert all(re.match(r"/(?!/)", href) for href in stylesheets), stylesheets
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_city_staff_still_see_only_their_own_activities(client):
    wuhan = ActivityFactory(title="总经理接待日 · 武汉", title_en="GM Reception · Wuhan",
                            region=region("420100"))
    beijing = ActivityFactory(title="总经理接待日 · 北京", region=region("110100"))
    user = StaffFactory(is_superuser=False, scope=("city", ["420100"]))
    user.user_permissions.add(*Permission.objects.filter(
        codename__in=["view_activity", "change_activity"]))
    client.force_login(user)
    listed = client.get("/en/admin/campaigns/activity/")
    assert listed.context["cl"].result_count == 1
    assert "GM Reception · Wuhan" in listed.content.decode()
    assert client.get(f"/admin/campaigns/activity/{beijing.pk}/change/").status_code == 404
    assert client.get(f"/admin/campaigns/activity/{wuhan.pk}/change/").status_code == 200


def test_an_on_site_session_without_a_chinese_venue_is_refused_on_the_chinese_field(
    staff_client,
):
    session = SessionFactory(venue="网络运营中心")
    start = timezone.localtime(session.starts_at)
    end = timezone.localtime(session.ends_at)
    response = staff_client.post(f"/en/admin/campaigns/session/{session.pk}/change/", {
        "activity": session.activity.pk, "title_zh_hans": "第一场", "title_en": "",
        "starts_at_0": start.strftime("%Y-%m-%d"), "starts_at_1": start.strftime("%H:%M:%S"),
        "ends_at_0": end.strftime("%Y-%m-%d"), "ends_at_1": end.strftime("%H:%M:%S"),
        "region": session.region_id, "venue_zh_hans": "", "venue_en": "Operations centre",
        "online_url": "", "capacity": "30", "waitlist_enabled": "on", "waitlist_limit": "0",
        "notes": "",
    })
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["venue_zh_hans"]
    session.refresh_from_db()
    assert (session.venue_zh_hans, session.venue_en) == ("网络运营中心", None)
