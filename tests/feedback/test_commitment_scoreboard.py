"""The public 48-hour scoreboard counts exactly the cases staff see, per theme."""

import datetime

import pytest

from campaigns.regions import NATIONAL
from feedback import services
from feedback.selectors import commitment_scoreboard

pytestmark = pytest.mark.django_db
H = datetime.timedelta(hours=1)


@pytest.fixture
def cases(submit, theme, other_theme, moderator, now):
    """On `theme`: 2 on time, 1 late, 1 overdue, 1 still within time; praise (no case)."""
    t0 = now - 100 * H

    def case(replied_after=None, theme=theme, created=t0):
        feedback = submit(kind="complaint", theme=theme, now=created)
        if replied_after is not None:
            services.reply_create(
                feedback=feedback, author=moderator, body="您好。", now=created + replied_after
            )
        return feedback

    on_time = case(1 * H)
    rejected = case(47 * H)
    services.feedback_reject(feedback=rejected, moderator=moderator, reason="重复")  # still counts
    case(50 * H)  # late
    case()  # overdue: due 52 hours ago
    case(created=now - 10 * H)  # pending: due in 38 hours
    submit(kind="praise", overall_score=10, now=t0)  # not a case
    case(2 * H, theme=other_theme)
    return on_time


def test_counts_per_theme_and_in_total(cases, theme, other_theme, now):
    rows = {row.theme: row for row in commitment_scoreboard(now=now, campaign=theme.campaign)}
    network = rows[theme]
    assert (network.opened, network.on_time, network.late, network.overdue, network.pending) == (
        5,
        2,
        1,
        1,
        1,
    )
    assert network.decided == 4 and network.percent == 50
    assert rows[other_theme].percent == 100
    total = rows[None]
    assert (total.opened, total.on_time, total.decided, total.percent) == (6, 3, 5, 60)


def test_a_theme_without_decided_cases_has_no_percentage(submit, theme, other_theme, now):
    submit(kind="complaint", now=now)
    rows = {row.theme: row for row in commitment_scoreboard(now=now, campaign=theme.campaign)}
    assert rows[theme].pending == 1 and rows[theme].percent is None
    assert rows[other_theme].opened == 0 and rows[other_theme].percent is None


def test_the_page_shows_the_shares(client, cases, theme):
    response = client.get("/feedback/commitment/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "48小时回复承诺" in page
    assert theme.name in page and "全部主题" in page
    assert "<meter" in page and "style=" not in page
    # Real clock: the 'pending' case of the fixture was created 10 hours before the fixed clock,
    # in the past, so all six cases have a known outcome by now.
    rows = response.context["rows"]
    assert rows[-1].opened == 6


def test_the_overdue_count_on_the_queue_matches_the_scoreboard(moderator_client, cases, now):
    from feedback.selectors import queue_counts

    rows = commitment_scoreboard(now=now, campaign=None)
    assert queue_counts(now=now, scope=NATIONAL)["overdue"] == rows[-1].overdue == 1


def test_satisfaction_and_nps_per_theme_count_all_but_rejected(
    submit, theme, other_theme, moderator
):
    from feedback.selectors import satisfaction_by_theme

    for overall, recommend in [(10, 10), (9, 9), (7, 8), (4, 3)]:
        submit(overall_score=overall, recommend_score=recommend)
    spam = submit(overall_score=1, recommend_score=0)
    services.feedback_reject(feedback=spam, moderator=moderator, reason="广告")
    rows = {row.theme: row for row in satisfaction_by_theme(campaign=theme.campaign)}
    network = rows[theme]
    assert (network.ratings, network.average, network.promoters, network.detractors) == (
        4,
        7.5,
        2,
        1,
    )
    assert network.nps == 25  # 50% promoters − 25% detractors
    assert rows[other_theme].nps is None and rows[other_theme].average is None
    assert rows[None].ratings == 4 and rows[None].nps == 25


def test_the_page_shows_nps(client, submit):
    submit(overall_score=9, recommend_score=10)
    page = client.get("/feedback/commitment/").content.decode()
    assert "NPS" in page and "9.0" in page and ">100<" in page
