"""A city's staff see their city's records and nothing of another city's, on every staff page,
export and admin page; another city's record is a 404 (its existence is not revealed).

Walked as an attacker would: every staff URL the site has (a new one fails the test until it
is listed here), every admin list, and the change pages of the other city's records by id.
"""

import csv
import io

import openpyxl
import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from campaigns.models import Activity, StaffScope
from feedback.models import Feedback
from feedback.officers import services as officer_services
from feedback.services import feedback_submit
from tests.factories import (
    ActivityFactory,
    ExperienceTaskFactory,
    OfficerFactory,
    ReceptionSignupFactory,
    SessionFactory,
    SignupFactory,
    ThemeFactory,
    UserFactory,
    city,
    region,
)

pytestmark = pytest.mark.django_db

WUHAN, GUANGZHOU = "420100", "440100"
ROLES = ("活动管理员", "审核员", "数据分析员")


def _city_records(code: str, theme, n: int) -> dict:
    """One of everything in a city, each carrying the city's own names and numbers."""
    place = region(code)
    activity = ActivityFactory(campaign=theme.campaign, region=place, title=f"{place.name}开放日")
    session = SessionFactory(activity=activity, city=place.name, venue=f"{place.name}营业厅")
    signup = SignupFactory(session=session, name=f"{place.name[:1]}参观", phone=f"1380000{n}001")
    reception = ReceptionSignupFactory(
        session__activity=ActivityFactory(campaign=theme.campaign, region=place,
                                          kind=Activity.Kind.GM_RECEPTION),
        session__city=place.name, name=f"{place.name[:1]}诉求", phone=f"1380000{n}002",
    )
    programme = ActivityFactory(campaign=theme.campaign, region=place, kind=Activity.Kind.OFFICER)
    officer = OfficerFactory(activity=programme, city=place.name,
                                        name=f"{place.name[:1]}体验", phone=f"1380000{n}003")
    feedback = feedback_submit(
        theme=theme, kind=Feedback.Kind.COMPLAINT, overall_score=2, recommend_score=1,
        comment=f"{place.name}的宽带晚上掉线,已报修两次。", region=place,
        wants_reply=True, name=f"{place.name[:1]}反馈", phone=f"1380000{n}004", consent=True,
    )
    task = ExperienceTaskFactory(programme=programme)
    report = officer_services.report_save(task=task, officer=officer, data={
        "scores": {"score_network": 5}, "problems": f"{place.name}地铁里没信号。"})
    report = officer_services.report_submit(report=report, officer=officer)
    return {"region": place, "session": session, "signup": signup, "reception": reception,
            "officer": officer, "feedback": feedback, "report": report, "activity": activity,
            "markers": [place.name, f"1380000{n}00", signup.reference_display,
                        feedback.reference, officer.reference_display]}


@pytest.fixture
def world():
    theme = ThemeFactory()
    return {"mine": _city_records(WUHAN, theme, 1), "theirs": _city_records(GUANGZHOU, theme, 2)}


@pytest.fixture
def wuhan_staff(client, settings):
    """A Wuhan branch employee with every staff role and the personal-data permission."""
    settings.STAFF_SECOND_FACTOR = False
    user = UserFactory(is_staff=True)
    user.groups.set(Group.objects.filter(name__in=ROLES))
    user.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    scope = StaffScope.objects.create(user=user, level=StaffScope.Level.CITY)
    scope.regions.set([city("武汉")])
    client.force_login(user)
    return client


def _text(response) -> str:
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)
                                                 if response.streaming else response.content))
        return "\n".join(str(cell) for sheet in book for row in sheet.iter_rows(values_only=True)
                         for cell in row if cell is not None)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode("utf-8-sig")


def _leaks(text: str, world) -> list[str]:
    return [marker for marker in world["theirs"]["markers"] if marker in text]


def staff_urls(world, side: str) -> dict[str, str]:
    """Every staff URL of the site, with the records of one side where it takes an id."""
    records = world[side]
    return {
        "feedback:queue": reverse("feedback:queue"),
        "feedback:staff_detail": reverse("feedback:staff_detail", args=[records["feedback"].pk]),
        "feedback:staff_home": reverse("feedback:staff_home"),
        "feedback:dashboard": reverse("feedback:dashboard"),
        "feedback:report": reverse("feedback:report"),
        "feedback:export_feedback": reverse("feedback:export_feedback", args=["csv"]),
        "feedback:export_applications": reverse("feedback:export_applications", args=["csv"]),
        "feedback:export_officers": reverse("feedback:export_officers", args=["xlsx"]),
        "feedback:export_officer_reports": reverse("feedback:export_officer_reports",
                                                   args=["xlsx"]),
        "feedback:export_jobs": reverse("feedback:export_jobs"),
        "feedback:export_attendees": reverse("feedback:export_attendees",
                                             args=[records["session"].pk, "csv"]),
        "officers:review_queue": reverse("officers:review_queue"),
        "officers:review": reverse("officers:review", args=[records["report"].pk]),
    }


# POST-only pages, the export-job pages (their own tests: a job is its owner's) and the
# second factor's pages hold no regional records; the access log is the national team's.
NOT_WALKED = {"feedback:staff_bulk", "feedback:staff_moderate", "feedback:staff_reply",
              "feedback:staff_close", "feedback:export_job_start",
              "feedback:export_job_download", "officers:case_open", "officers:case_reply",
              "campaigns:second_factor", "campaigns:second_factor_setup",
              "campaigns:access_log"}


def _staff_url_names() -> set[str]:
    names = set()

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern),
                     pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and "staff/" in prefix + str(pattern.pattern):
                names.add(f"{namespace}:{pattern.name}")

    walk(get_resolver().url_patterns, "", "")
    return names


_WALKED = ("feedback:queue", "feedback:staff_detail", "feedback:staff_home",
           "feedback:dashboard", "feedback:report", "feedback:export_feedback",
           "feedback:export_applications", "feedback:export_officers",
           "feedback:export_officer_reports", "feedback:export_jobs",
           "feedback:export_attendees", "officers:review_queue", "officers:review")


def test_every_staff_url_is_walked():
    assert _staff_url_names() - NOT_WALKED == set(_WALKED)


def test_no_staff_page_or_export_shows_another_citys_records(wuhan_staff, world):
    mine = staff_urls(world, "mine")
    theirs = staff_urls(world, "theirs")
    assert set(mine) == set(_WALKED)
    seen_mine = set()
    for name, url in mine.items():
        response = wuhan_staff.get(url, follow=name == "feedback:staff_home")
        assert response.status_code == 200, name
        text = _text(response)
        assert _leaks(text, world) == [], name
        seen_mine.update(m for m in world["mine"]["markers"] if m in text)
    # The lists were not simply empty: the city's own records are there.
    assert seen_mine == set(world["mine"]["markers"])
    for name in ("feedback:staff_detail", "feedback:export_attendees", "officers:review"):
        assert wuhan_staff.get(theirs[name]).status_code == 404, name


def test_acting_on_another_citys_feedback_is_a_404(wuhan_staff, world):
    other = world["theirs"]["feedback"]
    for name, data in (("feedback:staff_moderate", {"action": "publish"}),
                       ("feedback:staff_reply", {"body": "已处理。", "kind": "official"}),
                       ("feedback:staff_close", {"outcome": "已办结。"})):
        assert wuhan_staff.post(reverse(name, args=[other.pk]), data).status_code == 404, name
    wuhan_staff.post(reverse("feedback:staff_bulk"), {"ids": [other.pk], "action": "publish"})
    other.refresh_from_db()
    assert other.state == Feedback.State.PENDING


ADMIN_RECORDS = {  # model → the key of the record in a city's world
    "campaigns.signup": "signup", "campaigns.session": "session",
    "campaigns.activity": "activity", "campaigns.officerapplication": "officer",
    "feedback.feedback": "feedback", "officers.experiencereport": "report",
}


def test_admin_lists_and_change_pages_hold_only_the_citys_records(wuhan_staff, world):
    leaking = {}
    for model in admin.site._registry:
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        response = wuhan_staff.get(url)
        if response.status_code == 200 and (found := _leaks(_text(response), world)):
            leaking[opts.label_lower] = found
    assert leaking == {}
    for label, key in ADMIN_RECORDS.items():
        app_label, model_name = label.split(".")
        other = world["theirs"][key]
        for view in ("change", "delete", "history"):
            url = reverse(f"admin:{app_label}_{model_name}_{view}", args=[other.pk])
            assert wuhan_staff.get(url).status_code == 404, (label, view)
        mine = world["mine"][key]
        url = reverse(f"admin:{app_label}_{model_name}_change", args=[mine.pk])
        assert wuhan_staff.get(url).status_code == 200, label
    reception = world["theirs"]["reception"].reception
    url = reverse("admin:campaigns_receptioncase_change", args=[reception.pk])
    assert wuhan_staff.get(url).status_code == 404


def test_a_region_picker_offers_only_the_scopes_regions(wuhan_staff, world):
    response = wuhan_staff.get(reverse("admin:autocomplete"), {
        "app_label": "campaigns", "model_name": "session", "field_name": "region", "term": "州",
    })
    names = {item["text"] for item in response.json()["results"]}
    assert "广州市" not in names
    response = wuhan_staff.get(reverse("feedback:dashboard"))
    options = response.context["form"].fields["region"].choices
    assert {label.strip() for _code, label in options} == {"全部区域", "武汉市"}


def test_a_province_sees_its_cities_and_not_another_provinces(client, world, settings):
    settings.STAFF_SECOND_FACTOR = False
    user = UserFactory(is_staff=True)
    user.groups.set(Group.objects.filter(name__in=ROLES))
    scope = StaffScope.objects.create(user=user, level=StaffScope.Level.PROVINCE)
    scope.regions.set([region("440000")])  # Guangdong: Guangzhou's province
    client.force_login(user)
    body = _text(client.get(reverse("feedback:export_feedback", args=["csv"])))
    assert world["theirs"]["feedback"].reference in body
    assert world["mine"]["feedback"].reference not in body


def test_staff_without_a_scope_see_no_records(client, world, settings):
    settings.STAFF_SECOND_FACTOR = False
    user = UserFactory(is_staff=True)
    user.groups.set(Group.objects.filter(name__in=ROLES))
    client.force_login(user)
    rows = list(csv.reader(io.StringIO(
        _text(client.get(reverse("feedback:export_feedback", args=["csv"]))))))
    assert rows[1:] == []
    assert client.get(reverse("feedback:staff_detail",
                              args=[world["mine"]["feedback"].pk])).status_code == 404
