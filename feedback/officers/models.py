"""我是服务体验官, after acceptance: experience tasks staff set, and the officers' reports.

An officer is an accepted application (`OfficerApplication.Status.ACCEPTED`) for the
campaign's term: no second record of the same person. Reports rate the dimensions the task
names (the same ones as feedback, 1–10 or 未体验), describe 亮点 / 问题 / 建议, and may carry
up to three images, re-encoded without their metadata and kept outside the public media path.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.clock import CaseClock, ClockFields, case_clock
from campaigns.models import Activity, OfficerApplication, Region, Theme, ThemeItem
from feedback.models import DIMENSIONS

DIMENSION_KEYS = tuple(key for key, _label in DIMENSIONS)
MAX_IMAGES = 3
TEXT_MAX_LENGTH = 1000


class OfficerProgramme(models.Model):
    """What staff decide about one 我是服务体验官 activity beyond its tasks."""

    activity = models.OneToOneField(
        Activity, on_delete=models.CASCADE, related_name="officer_programme",
        verbose_name=_("体验官活动"), limit_choices_to={"kind": Activity.Kind.OFFICER},
    )
    public_page = models.BooleanField(
        _("公开体验官页面"), default=False,
        help_text=_("在网站上展示活动介绍、各城市体验官和报告数量，以及选出的体验发现（姓名隐去）。"),
    )
    certificate_min_reports = models.PositiveSmallIntegerField(
        _("获得证书所需的采纳报告数"), default=2,
    )

    class Meta:
        verbose_name = _("体验官活动设置")
        verbose_name_plural = _("体验官活动设置")

    def __str__(self):
        return str(self.activity)


class ExperienceTask(models.Model):
    """体验任务: what officers are asked to try, where, when and how it is rewarded."""

    class Evidence(models.TextChoices):
        NONE = "none", _("不需要图片")
        OPTIONAL = "optional", _("图片可选")
        REQUIRED = "required", _("必须上传图片或截图")

    class Audience(models.TextChoices):
        ALL = "all", _("全部体验官")
        CITIES = "cities", _("指定城市的体验官")
        CHOSEN = "chosen", _("指定的体验官")

    programme = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="experience_tasks",
        verbose_name=_("体验官活动"), limit_choices_to={"kind": Activity.Kind.OFFICER},
    )
    title = models.CharField(_("任务名称"), max_length=80)
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("主题"))
    items = models.ManyToManyField(ThemeItem, blank=True, related_name="+",
                                   verbose_name=_("体验的产品或服务"))
    is_online = models.BooleanField(_("线上任务"), default=False)
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("截止时间"))
    instructions = models.TextField(_("任务说明"))
    dimensions = models.JSONField(_("评分维度"), default=list,
                                  help_text=_("从反馈的评分维度中选择"))
    evidence = models.CharField(_("图片要求"), max_length=10, choices=Evidence.choices,
                                default=Evidence.OPTIONAL)
    reports_per_officer = models.PositiveSmallIntegerField(_("每人可提交报告数"), default=1)
    points = models.PositiveSmallIntegerField(_("每篇采纳报告积分"), default=10)
    audience = models.CharField(_("面向"), max_length=10, choices=Audience.choices,
                                default=Audience.ALL)
    regions = models.ManyToManyField(
        Region, blank=True, related_name="+", verbose_name=_("城市"),
        limit_choices_to={"level": Region.Level.CITY},
    )
    officers = models.ManyToManyField(
        OfficerApplication, blank=True, related_name="+", verbose_name=_("指定体验官"),
        limit_choices_to={"status": OfficerApplication.Status.ACCEPTED},
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("体验任务")
        verbose_name_plural = _("体验任务")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")),
                                   name="task_closes_after_opening"),
            models.CheckConstraint(
                condition=Q(reports_per_officer__gte=1) & Q(reports_per_officer__lte=10),
                name="task_reports_per_officer_1_to_10",
            ),
            models.CheckConstraint(condition=Q(points__lte=1000), name="task_points_at_most_1000"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        unknown = set(self.dimensions or []) - set(DIMENSION_KEYS)
        if unknown or not self.dimensions:
            raise ValidationError({"dimensions": _("请从反馈的评分维度中至少选择一项。")})

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.published_at is not None and self.opens_at <= now < self.closes_at

    def dimension_labels(self) -> list[tuple[str, str]]:
        labels = dict(DIMENSIONS)
        return [(key, labels[key]) for key in self.dimensions if key in labels]


class ExperienceReport(models.Model):
    """体验报告: one officer's experience of one task; editable until staff review it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审核")
        RETURNED = "returned", _("退回修改")
        ACCEPTED = "accepted", _("已采纳")

    # The officer may still change these; staff have not decided yet.
    EDITABLE = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED)

    task = models.ForeignKey(ExperienceTask, on_delete=models.PROTECT, related_name="reports",
                             verbose_name=_("体验任务"))
    officer = models.ForeignKey(OfficerApplication, on_delete=models.PROTECT,
                                related_name="experience_reports", verbose_name=_("体验官"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    scores = models.JSONField(_("评分"), default=dict, blank=True)
    highlights = models.TextField(_("亮点"), blank=True)
    problems = models.TextField(_("问题"), blank=True)
    suggestions = models.TextField(_("建议"), blank=True)
    place = models.CharField(_("体验地点"), max_length=100, blank=True)
    experienced_at = models.DateTimeField(_("体验时间"), null=True, blank=True)
    review_comment = models.TextField(_("审核意见"), blank=True)
    featured = models.BooleanField(
        _("在体验官页面展示"), default=False,
        help_text=_("已采纳报告的亮点和建议可在公开的体验官页面展示（姓名隐去）。"),
    )
    points_awarded = models.PositiveSmallIntegerField(_("获得积分"), default=0)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("审核人"))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    # A 问题 staff turned into a case: the same 48-hour first-reply clock as a complaint.
    case_opened_at = models.DateTimeField(_("转为工单时间"), null=True, blank=True)
    case_due_at = models.DateTimeField(_("首次答复期限"), null=True, blank=True)
    case_replied_at = models.DateTimeField(_("首次答复时间"), null=True, blank=True)
    case_reply = models.TextField(_("对问题的答复"), blank=True)

    CLOCK = ClockFields(opened="case_opened_at", due="case_due_at", replied="case_replied_at")

    class Meta:
        verbose_name = _("体验报告")
        verbose_name_plural = _("体验报告")
        ordering = ["-updated_at", "-id"]
        permissions = [("review_report", _("审核体验报告"))]
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="report_queue"),
            models.Index(fields=["officer", "task"], name="report_officer_task"),
            models.Index(fields=["case_due_at"], name="report_case_unanswered",
                         condition=Q(case_due_at__isnull=False, case_replied_at__isnull=True)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="accepted") | Q(points_awarded=0),
                name="report_points_only_when_accepted",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="report_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(review_comment=""),
                name="report_returned_has_comment",
            ),
            models.CheckConstraint(
                condition=Q(case_opened_at__isnull=True)
                | Q(case_due_at__gt=F("case_opened_at")),
                name="report_case_due_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(case_replied_at__isnull=True) | ~Q(case_reply=""),
                name="report_case_reply_has_text",
            ),
            models.CheckConstraint(condition=Q(featured=False) | Q(status="accepted"),
                                   name="report_featured_only_when_accepted"),
        ]

    def __str__(self):
        return f"{self.task} · {self.get_status_display()}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_case(self) -> bool:
        return self.case_opened_at is not None

    def clock(self, now) -> CaseClock:
        return case_clock(self, now)

    @property
    def reference_display(self) -> str:
        """How the officer and SMS name it (reports have no code of their own)."""
        return f"TY{self.pk:06d}"


class PrivateStorage(FileSystemStorage):
    """Files that no URL reaches (Django would otherwise hand out MEDIA_URL addresses): they
    are served only by views that check who asks."""

    def url(self, name):
        raise ValueError("Private files have no URL; serve them through a checked view.")


private_storage = PrivateStorage(location=settings.MEDIA_ROOT / "private")


def report_image_storage() -> FileSystemStorage:
    """Under MEDIA_ROOT/private, never at a public URL. A callable, so that migrations do not
    record this machine's path."""
    return private_storage


EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


def _image_path(instance, filename) -> str:
    # A random name: nothing of what the officer called the file, or where it was taken.
    extension = EXTENSIONS[instance.content_type]
    return f"officer-reports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class ReportImage(models.Model):
    """A photo or screenshot of a report, as re-encoded by `images.clean_image`."""

    report = models.ForeignKey(ExperienceReport, on_delete=models.CASCADE,
                               related_name="images", verbose_name=_("体验报告"))
    file = models.FileField(_("图片"), storage=report_image_storage, upload_to=_image_path)
    content_type = models.CharField(max_length=20)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("报告图片")
        verbose_name_plural = _("报告图片")
        ordering = ["id"]

    def __str__(self):
        return f"{self.report_id} · {self.pk}"


class Certificate(models.Model):
    """聘书: issued the first time an officer who earned it opens it; its code lets anyone
    check it (`/officer/certificates/<code>/`). The figures are those of the day it was
    issued."""

    officer = models.OneToOneField(OfficerApplication, on_delete=models.CASCADE,
                                   related_name="certificate", verbose_name=_("体验官"))
    code = models.CharField(_("证书编号"), max_length=12, unique=True)
    reports = models.PositiveSmallIntegerField(_("采纳报告数"))
    points = models.PositiveIntegerField(_("积分"))
    issued_at = models.DateTimeField(_("颁发时间"), default=timezone.now)

    class Meta:
        verbose_name = _("体验官证书")
        verbose_name_plural = _("体验官证书")

    def __str__(self):
        return self.code
