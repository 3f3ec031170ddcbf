"""The staff pages under /en/ name activities, themes, products, sessions and officer tasks in
English where staff wrote it, and in Chinese marked lang="zh-Hans" where they did not: the
dashboard (its charts, lists and filters), the printable report, the moderation queue, a
feedback's page and the officer reports' review. The Chinese pages are unchanged, and the
English dashboard runs no more queries than the Chinese one."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from campaigns.models import Activity, ReceptionCase
from feedback.models import Feedback
from feedback.officers import services as officer_services
from tests.factories import (
    ActivityFactory,
    CampaignFactory,
    ExperienceTaskFactory,
    FeedbackFactory,
    OfficerFactory,
    ReceptionSignupFactory,
    SessionFactory,
    StaffFactory,
    ThemeFactory,
    ThemeItemFactory,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
ENGLISH = {
    "activity": "Inside the 5G network&#x27;s brain",
    "theme": "Network+",
    "item": "5G network",
    "session": "Session 1",
    "task": "5G on the metro",
    "programme": "Service experience officers",
}
# The same texts in Chinese: none of them may show on the English pages.
CHINESE_OF_ENGLISH = ["探秘5G网络大脑", "优+网络", "5G网络", "第一场", "地铁内5G上网", "服务体验官"]
# Texts without English: shown in Chinese on the English pages, marked.
FALLBACKS = {
    "activity": "数据中心开放日",
    "theme": "优+服务",
    "item": "千兆宽带",
    "task": "营业厅自助终端体验",
    "reception": "总经理接待日",
}


@pytest.fixture
def content():
    """Two of everything: one with its English, one without; each has an overdue case."""
    now = timezone.now()
    with translation.override("zh-hans"):
        campaign = CampaignFactory(title_en="Experience Season")
        theme = ThemeFactory(campaign=campaign, name="优+网络", name_en="Network+", order=1)
        chinese_theme = ThemeFactory(campaign=campaign, name=FALLBACKS["theme"], order=2)
        item = ThemeItemFactory(theme=theme, name="5G网络", name_en=ENGLISH["item"])
        chinese_item = ThemeItemFactory(theme=chinese_theme, name=FALLBACKS["item"])
        activity = ActivityFactory(campaign=campaign, title="探秘5G网络大脑",
                                   title_en="Inside the 5G network's brain", order=1)
        chinese_activity = ActivityFactory(campaign=campaign, title=FALLBACKS["activity"],
                                           order=2)
        SessionFactory(activity=activity, title="第一场", title_en=ENGLISH["session"])
        SessionFactory(activity=chinese_activity, title="", city="上海")
        english_case = FeedbackFactory(
            theme=theme, theme_item=item, activity=activity, kind=Feedback.Kind.COMPLAINT,
            created_at=now - 3 * DAY, reply_due_at=now - DAY, score_network=8,
        )
        chinese_case = FeedbackFactory(
            theme=chinese_theme, theme_item=chinese_item, activity=chinese_activity,
            kind=Feedback.Kind.COMPLAINT, created_at=now - 3 * DAY, reply_due_at=now - DAY,
            score_network=6,
        )
        reception = ReceptionSignupFactory(session__activity__campaign=campaign,
                                           session__activity__title=FALLBACKS["reception"])
        ReceptionCase.objects.filter(signup=reception).update(first_reply_due_at=now - DAY)
        programme = ActivityFactory(campaign=campaign, kind=Activity.Kind.OFFICER,
                                    title="服务体验官", title_en=ENGLISH["programme"], order=3)
        officer = OfficerFactory(activity=programme, city="北京")
        reports = [
            _overdue_report(ExperienceTaskFactory(programme=programme, theme=theme,
                                                  title="地铁内5G上网", title_en=ENGLISH["task"]),
                            officer, now),
            _overdue_report(ExperienceTaskFactory(programme=programme, theme=chinese_theme,
                                                  title=FALLBACKS["task"]), officer, now),
        ]
    return {"english_case": english_case, "chinese_case": chinese_case, "reports": reports,
            "activity": activity, "chinese_activity": chinese_activity, "theme": theme,
            "chinese_theme": chinese_theme}


def _overdue_report(task, officer, now):
    report = officer_services.report_save(task=task, officer=officer, data={
        "scores": {"score_network": 5}, "highlights": "信号好。", "problems": "电梯里没信号。"})
    report = officer_services.report_submit(report=report, officer=officer)
    return officer_services.report_case_open(report=report, actor=None, now=now - 3 * DAY)


@pytest.fixture
def staff(client):
    client.force_login(StaffFactory())
    return client


def page(client, path: str, params=None) -> str:
    response = client.get(path, params or {})
    assert response.status_code == 200, path
    return response.content.decode()


def opening(html: str, tag: str, text: str) -> str:
    """The opening tag of a `tag` element whose content starts with `text` (HTML)."""
    match = re.search(rf"<{tag}\b[^>]*>\s*{re.escape(text)}", html)
    assert match, f"no <{tag}> with {text!r}"
    return match.group(0)


def marked(html: str, text: str) -> bool:
    """`text` is shown marked as Chinese: in a <span lang="zh-Hans">, or as the whole
    content of an element carrying that mark."""
    return (f'<span lang="zh-Hans">{text}</span>' in html
            or re.search(rf'<\w+\b[^>]*lang="zh-Hans"[^>]*>\s*{re.escape(text)}\s*<', html)
            is not None)


def assert_no_chinese_of_english(html: str) -> None:
    shown = [text for text in CHINESE_OF_ENGLISH if text in html]
    assert not shown, shown


# --- The dashboard ----------------------------------------------------------------------


def test_the_english_dashboard_names_everything_in_english_or_marked_chinese(staff, content):
    html = page(staff, "/en/staff/dashboard/")
    assert_no_chinese_of_english(html)
    # The fill rate chart's table and its drawn labels; the sessions; the overdue cases.
    assert "lang" not in opening(html, "th", ENGLISH["activity"])
    assert marked(html, FALLBACKS["activity"])
    assert re.search(r'<th scope="row" lang="zh-Hans">数据中心开放日</th>', html)
    assert re.search(r'<text class="chart-label" lang="zh-Hans"[^>]*><tspan[^>]*>数据中心', html)
    assert re.search(r'<text class="chart-label" x=[^>]*><tspan[^>]*>Inside', html)
    assert f"{ENGLISH['activity']} · {ENGLISH['session']}" in html
    assert f'<span lang="zh-Hans">{FALLBACKS["activity"]}</span> · ' in html  # untitled session
    assert f"{ENGLISH['theme']} · {ENGLISH['activity']}" in html  # an overdue feedback case
    assert (f'<span lang="zh-Hans">{FALLBACKS["theme"]}</span> · '
            f'<span lang="zh-Hans">{FALLBACKS["activity"]}</span>') in html
    assert f'<td lang="zh-Hans">{FALLBACKS["reception"]}</td>' in html
    assert f"<td>{ENGLISH['task']} · Beijing</td>" in html  # an overdue officer report case
    assert f'<span lang="zh-Hans">{FALLBACKS["task"]}</span> · Beijing' in html


def test_the_dimension_chart_and_the_officer_figures_mark_chinese_names(staff, content):
    html = page(staff, "/en/staff/dashboard/")
    chart = html[html.index('id="chart-dimensions-caption"'):]
    chart = chart[:chart.index("</figure>")]
    assert "lang" not in opening(chart, "th", ENGLISH["theme"])
    assert f'<th scope="row" lang="zh-Hans">{FALLBACKS["theme"]}</th>' in chart
    officers = html[html.index('id="fig-officers"'):]
    assert f"<td>{ENGLISH['task']}</td>" in officers
    assert f'<td lang="zh-Hans">{FALLBACKS["task"]}</td>' in officers
    assert f'<th scope="row">{ENGLISH["theme"]}</th>' in officers
    assert f'<th scope="row" lang="zh-Hans">{FALLBACKS["theme"]}</th>' in officers


def test_the_dashboard_filters_offer_english_names_and_marked_chinese_ones(staff, content):
    html = page(staff, "/en/staff/dashboard/")
    english = opening(html, "option", ENGLISH["activity"])
    assert "lang" not in english
    assert 'lang="zh-Hans"' in opening(html, "option", FALLBACKS["activity"])
    assert "lang" not in opening(html, "option", ENGLISH["theme"])
    assert 'lang="zh-Hans"' in opening(html, "option", FALLBACKS["theme"])


def test_the_printed_report_names_its_filters_and_themes_in_english(staff, content):
    html = page(staff, "/en/staff/report/", {"activity": content["activity"].pk,
                                             "region": "110100"})
    assert_no_chinese_of_english(html)
    assert f'<dd class="col-9 col-md-10 mb-0">{ENGLISH["activity"]}</dd>' in html
    assert '<dd class="col-9 col-md-10 mb-0">Beijing</dd>' in html  # the city, in English
    html = page(staff, "/en/staff/report/", {"theme": content["chinese_theme"].pk})
    assert f'<dd class="col-9 col-md-10 mb-0" lang="zh-Hans">{FALLBACKS["theme"]}</dd>' in html
    # The 48-hour record, per theme.
    assert f'<th scope="row">{ENGLISH["theme"]}</th>' in html
    assert f'<th scope="row"><span lang="zh-Hans">{FALLBACKS["theme"]}</span></th>' in html


def test_the_chinese_dashboard_and_report_are_unchanged(staff, content):
    for path in ("/staff/dashboard/", "/staff/report/"):
        html = page(staff, path)
        assert 'lang="zh-Hans"' not in html, path
        assert "探秘5G网络大脑" in html and FALLBACKS["activity"] in html, path
        assert not any(text in html for text in ENGLISH.values()), path


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", ["/staff/dashboard/", "/staff/report/", "/staff/feedback/",
                                  "/staff/officer-reports/"])
def test_the_english_pages_run_as_many_queries_as_the_chinese_ones(staff, content, path):
    staff.get(path)
    staff.get("/en" + path)  # warm up the session and content-type caches
    assert _queries(staff, "/en" + path) == _queries(staff, path)


# --- Moderation -------------------------------------------------------------------------


def test_the_moderation_queue_in_english(staff, content):
    html = page(staff, "/en/staff/feedback/")
    assert_no_chinese_of_english(html)
    assert f"<td>{ENGLISH['theme']}<br><span class=\"small\">{ENGLISH['activity']}</span>" in html
    assert (f'<td><span lang="zh-Hans">{FALLBACKS["theme"]}</span><br>'
            f'<span class="small" lang="zh-Hans">{FALLBACKS["activity"]}</span>') in html
    # The filters.
    assert "lang" not in opening(html, "option", ENGLISH["activity"])
    assert 'lang="zh-Hans"' in opening(html, "option", FALLBACKS["activity"])
    assert 'lang="zh-Hans"' in opening(html, "option", FALLBACKS["theme"])


def test_a_feedbacks_page_in_english(staff, content):
    html = page(staff, f"/en/staff/feedback/{content['english_case'].pk}/")
    assert_no_chinese_of_english(html)
    assert f" · {ENGLISH['theme']} · {ENGLISH['item']} · {ENGLISH['activity']}" in html
    html = page(staff, f"/en/staff/feedback/{content['chinese_case'].pk}/")
    assert (f'<span lang="zh-Hans">{FALLBACKS["theme"]}</span> · '
            f'<span lang="zh-Hans">{FALLBACKS["item"]}</span> · '
            f'<span lang="zh-Hans">{FALLBACKS["activity"]}</span>') in html


# --- Officer reports --------------------------------------------------------------------


def test_the_officer_report_review_in_english(staff, content):
    html = page(staff, "/en/staff/officer-reports/")
    assert_no_chinese_of_english(html)
    assert f"<td>{ENGLISH['task']}</td>" in html
    assert f'<td lang="zh-Hans">{FALLBACKS["task"]}</td>' in html
    english, chinese = content["reports"]
    html = page(staff, f"/en/staff/officer-reports/{english.pk}/")
    assert f'<h1 class="h3">{ENGLISH["task"]}</h1>' in html
    html = page(staff, f"/en/staff/officer-reports/{chinese.pk}/")
    assert f'<h1 class="h3" lang="zh-Hans">{FALLBACKS["task"]}</h1>' in html
