"""The English dashboard and report leave no Chinese of their own untranslated."""

import pytest

from feedback import services
from tests.factories import (
    ActivityFactory,
    CampaignFactory,
    SessionFactory,
    StaffFactory,
    ThemeFactory,
)
from tests.feedback.test_feedback_translations import stray_chinese

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_data():
    campaign = CampaignFactory(title="Experience Season", slogan="Heart", intro="Hi", pledge="")
    theme = ThemeFactory(campaign=campaign, name="Network", slug="network", tagline="")
    activity = ActivityFactory(campaign=campaign, slug="visit", title="Network centre",
                               summary="Come", description="Tour", eligibility="", rules="")
    activity.themes.add(theme)
    SessionFactory(activity=activity, title="Morning", city="北京", venue="NOC")
    services.feedback_submit(
        theme=theme, activity=activity, kind="complaint", overall_score=3, recommend_score=2,
        comment="Too slow at night.", wants_reply=True, name="Li Lei", phone="13812345678",
        consent=True,
    )


@pytest.mark.parametrize("path", ["/en/staff/dashboard/", "/en/staff/report/"])
def test_english_dashboard_pages_have_no_untranslated_chinese(client, english_data, path):
    client.force_login(StaffFactory())
    response = client.get(path)
    assert response.status_code == 200
    assert stray_chinese(response.content.decode()) == []
