"""Demo tasks and reports for the officer programme (loaded by `manage.py load_demo`).

Two published tasks, and reports in every state: accepted (with points), submitted with a
photo, returned with a comment, and a draft. Idempotent: a report is only added where the
officer has none on that task yet. The caller mutes SMS (the numbers are invented).
"""

import datetime
import io

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from campaigns.models import Activity, OfficerApplication, Theme

from . import services
from .models import ExperienceReport, ExperienceTask

TASKS = [
    {
        "title": "地铁内5G上网体验",
        "theme": "you-network",
        "audience": ExperienceTask.Audience.ALL,
        "regions": [],
        "evidence": ExperienceTask.Evidence.OPTIONAL,
        "dimensions": ["score_network", "score_usability"],
        "instructions": "早高峰（7:30–9:30）在地铁车厢内用5G网络视频通话5分钟、打开三个常用App，"
        "记录卡顿、掉线的车站和时间；可附测速截图。",
        "points": 20,
        "title_en": "5G on the metro",
        "instructions_en": "In the morning rush (7:30–9:30), make a 5-minute 5G video call on "
        "the metro and open three apps you use often; note the stations and times where it "
        "stalls or drops. A speed-test screenshot is welcome.",
    },
    {
        "title": "营业厅服务暗访",
        "theme": "you-service",
        "audience": ExperienceTask.Audience.CITIES,
        "regions": ["310100"],  # 上海市
        "evidence": ExperienceTask.Evidence.REQUIRED,
        "dimensions": ["score_attitude", "score_efficiency", "score_resolution"],
        "instructions": "以普通客户身份到就近营业厅咨询套餐变更，记录等候时间、讲解是否清楚、"
        "有无推销；请拍一张营业厅外景照片（不要拍到他人面部）。",
        "points": 30,
        # English title only: the English 体验官专区 shows these instructions in Chinese.
        "title_en": "Mystery shopping in a store",
        "instructions_en": "",
    },
]

REPORTS = [
    # (task index, officer index, final state, findings, review comment); the officers are
    # the accepted demo applicants by id: 钱文博 (上海), 周敏 (北京), 吴磊 (上海).
    (0, 1, ExperienceReport.Status.ACCEPTED,
     {"scores": {"score_network": 7, "score_usability": 8},
      "highlights": "站台和换乘通道5G信号满格，视频通话清晰。",
      "problems": "2号线西直门到积水潭区间视频卡顿约20秒。",
      "suggestions": "加强该区间隧道内的覆盖。", "place": "北京地铁2号线"}, ""),
    (0, 0, ExperienceReport.Status.RETURNED,
     {"scores": {"score_network": 5, "score_usability": None},
      "highlights": "", "problems": "有时候网速慢。", "suggestions": "",
      "place": "上海地铁"}, "请补充发生卡顿的线路、区间和时间，便于网络部门定位。"),
    (1, 2, ExperienceReport.Status.SUBMITTED,
     {"scores": {"score_attitude": 9, "score_efficiency": 6, "score_resolution": 8},
      "highlights": "店员主动询问需求，讲解资费清楚，没有强行推销。",
      "problems": "取号后等候25分钟，只开了两个窗口。",
      "suggestions": "高峰时段增开窗口，或引导使用自助终端。", "place": "上海南京东路营业厅"},
     ""),
    (0, 2, ExperienceReport.Status.DRAFT,
     {"scores": {"score_network": 8}, "highlights": "", "problems": "", "suggestions": "",
      "place": ""}, ""),
]


def _photo() -> SimpleUploadedFile:
    image = Image.new("RGB", (480, 320), (0, 85, 160))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return SimpleUploadedFile("storefront.jpg", out.getvalue(), content_type="image/jpeg")


def _task(programme, spec, *, staff, now) -> ExperienceTask:
    theme = Theme.objects.get(campaign_id=programme.campaign_id, slug=spec["theme"])
    task, _created = ExperienceTask.objects.get_or_create(
        programme=programme, title=spec["title"],
        defaults={**{k: v for k, v in spec.items() if k not in ("title", "theme", "regions")},
                  "theme": theme, "opens_at": now - datetime.timedelta(days=3),
                  "closes_at": now + datetime.timedelta(days=25)},
    )
    task.regions.set(spec["regions"])
    english = {field: spec[field] for field in ("title_en", "instructions_en")}
    if any(getattr(task, field) != text for field, text in english.items()):
        for field, text in english.items():
            setattr(task, field, text)
        task.save(update_fields=list(english))
    if task.published_at is None:
        task = services.task_publish(task=task, actor=staff,
                                     now=now - datetime.timedelta(days=3))
    return task


def _report(task, officer, state, findings, comment, *, staff, now) -> None:
    if ExperienceReport.objects.filter(task=task, officer=officer).exists():
        return
    images = [_photo()] if task.evidence == ExperienceTask.Evidence.REQUIRED else []
    report = services.report_save(task=task, officer=officer, data=findings, images=images,
                                  now=now)
    if state == ExperienceReport.Status.DRAFT:
        return
    report = services.report_submit(report=report, officer=officer, now=now)
    if state != ExperienceReport.Status.SUBMITTED:
        services.report_review(report=report, reviewer=staff,
                               accept=state == ExperienceReport.Status.ACCEPTED,
                               comment=comment, now=now)


def load_officers_demo(*, now=None) -> int:
    """Create the demo tasks and reports; returns the number of demo tasks (0 without the
    campaign demo)."""
    now = now or timezone.now()
    programme = Activity.objects.filter(kind=Activity.Kind.OFFICER).order_by("pk").first()
    staff = get_user_model().objects.filter(is_staff=True).order_by("pk").first()
    officers = list(OfficerApplication.objects.filter(
        activity=programme, status=OfficerApplication.Status.ACCEPTED
    ).order_by("pk")) if programme else []
    if len(officers) < 3 or staff is None:
        return 0
    tasks = [_task(programme, spec, staff=staff, now=now) for spec in TASKS]
    for task_index, officer_index, state, findings, comment in REPORTS:
        _report(tasks[task_index], officers[officer_index], state, findings, comment,
                staff=staff, now=now - datetime.timedelta(hours=30 - 6 * officer_index))
    return len(tasks)
