"""The dashboard compares provinces (and, inside a province, its cities): signups, fill rate,
satisfaction, NPS, share answered within 48 hours, overdue now. The same figures whether the
days are read from the rows or from the rollups; within the viewer's scope; sortable."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.regions import NATIONAL, Scope
from feedback.models import Feedback
from feedback.reporting import rollups
from feedback.reporting.filters import DashboardFilters
from feedback.reporting.selectors import dashboard
from tests.factories import (
    ActivityFactory,
    FeedbackFactory,
    SessionFactory,
    SignupFactory,
    StaffFactory,
    ThemeFactory,
    city,
    region,
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def world():
    now = timezone.now()
    theme = ThemeFactory()
    for name, scores in (("武汉", (9, 10, 3)), ("宜昌", (8,)), ("广州", (10, 10)), ("上海", (6,))):
        place = city(name)
        activity = ActivityFactory(campaign=theme.campaign, region=place)
        session = SessionFactory(activity=activity, city=name, capacity=10)
        for _ in range(len(scores)):
            SignupFactory(session=session)
        for days_ago, score in enumerate(scores):
            FeedbackFactory(theme=theme, activity=activity, overall_score=score,
                            recommend_score=score, created_at=now - (days_ago + 2) * DAY,
                            kind=Feedback.Kind.COMPLAINT if score < 7 else Feedback.Kind.PRAISE,
                            reply_due_at=now - (days_ago + 2) * DAY + 2 * DAY if score < 7
                            else None)
    return now


def table(filters=None, *, now, sort=""):
    rows = dashboard(filters or DashboardFilters(), now=now, sort=sort).regions.rows
    return [(r.name, r.signups, r.fill_rate, r.satisfaction, r.nps, r.on_time_share, r.overdue)
            for r in rows]


def test_provinces_side_by_side_the_same_from_rows_and_from_rollups(world):
    from_rows = table(now=world)
    assert from_rows == [
        ("湖北省", 4, 20.0, 7.5, 25.0, 0.0, 1),
        ("广东省", 2, 20.0, 10.0, 100.0, None, 0),
        ("上海市", 1, 10.0, 6.0, -100.0, 0.0, 1),
    ]
    assert rollups.rollup_all(now=world).fresh > 0
    assert table(now=world) == from_rows


def test_a_province_drills_down_to_its_cities(world):
    rows = table(DashboardFilters(region=region("420000")), now=world)
    assert [(name, signups) for name, signups, *_rest in rows] == [("武汉市", 3), ("宜昌市", 1)]


def test_the_table_sorts_by_any_column(world):
    assert [r[0] for r in table(now=world, sort="satisfaction")] == ["广东省", "湖北省", "上海市"]
    # Ties in code order (31 Shanghai before 42 Hubei).
    assert [r[0] for r in table(now=world, sort="overdue")] == ["上海市", "湖北省", "广东省"]


def test_a_province_team_sees_only_its_province(world):
    hubei = DashboardFilters(scope=Scope(level="province", codes=("420000",)))
    assert [r[0] for r in table(hubei, now=world)] == ["湖北省"]
    assert [r[0] for r in table(DashboardFilters(scope=NATIONAL), now=world)] != ["湖北省"]


def test_the_dashboard_page_links_each_province_to_its_cities(client, world):
    client.force_login(StaffFactory())
    page = client.get(reverse("feedback:dashboard"), {"sort": "nps"}).content.decode()
    assert "各省对比" in page and "region=420000" in page
    page = client.get(reverse("feedback:dashboard"), {"region": "420000"}).content.decode()
    section = page[page.index('id="fig-regions"'):]
    section = section[:section.index("</section>")]
    assert "湖北省各城市对比" in section and "宜昌市" in section and "广州市" not in section


def test_the_public_scoreboard_shows_each_province(client):
    now = timezone.now()
    theme = ThemeFactory()
    for name, replied in (("武汉", 1), ("武汉", None), ("广州", 1)):
        opened = now - 72 * datetime.timedelta(hours=1)
        FeedbackFactory(theme=theme, region=city(name), kind=Feedback.Kind.COMPLAINT,
                        created_at=opened, reply_due_at=opened + 48 * datetime.timedelta(hours=1),
                        first_replied_at=opened + datetime.timedelta(hours=replied)
                        if replied else None)
    page = client.get(reverse("feedback:commitment")).content.decode()
    section = page[page.index('id="provinces-heading"'):]
    section = section[:section.index("</section>")]
    assert section.index("广东省") < section.index("湖北省")  # 100% before 50%
    assert "50%" in section and "100%" in section
