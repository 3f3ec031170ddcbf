"""Experience feedback, its moderation, official replies and the 48-hour first-reply clock.

Only the services in `feedback.services` change these rows; each change writes a
`FeedbackEvent` in the same transaction, so the feedback's own timeline is complete by
construction. The dashboard rollups and export jobs are stored here too (their code lives in
`feedback.reporting`).
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.clock import CaseClock, ClockFields, case_clock
from campaigns.masking import mask_name
from campaigns.models import Activity, EscalationFields, Region, Theme, ThemeItem

COMMENT_MAX_LENGTH = 1000
REPLY_MAX_LENGTH = 2000

# Dimension score fields, in form order, with their labels. Each is 1–10 or empty (未体验).
DIMENSIONS = (
    ("score_network", _("网络质量")),
    ("score_billing", _("资费透明与账单清晰")),
    ("score_usability", _("产品易用")),
    ("score_attitude", _("服务态度")),
    ("score_expertise", _("专业能力")),
    ("score_efficiency", _("办理/响应效率")),
    ("score_resolution", _("问题解决程度")),
    ("score_organisation", _("活动组织")),
)
ACTIVITY_ONLY_DIMENSIONS = ("score_organisation",)


def _score_field(label):
    return models.PositiveSmallIntegerField(label, null=True, blank=True)


def _range(field: str, low: int, high: int, *, nullable: bool = False) -> models.CheckConstraint:
    condition = Q(**{f"{field}__gte": low}) & Q(**{f"{field}__lte": high})
    if nullable:
        condition |= Q(**{f"{field}__isnull": True})
    return models.CheckConstraint(condition=condition, name=f"feedback_{field}_range")


class Feedback(EscalationFields):
    class Kind(models.TextChoices):
        PRAISE = "praise", _("表扬")
        SUGGESTION = "suggestion", _("建议")
        COMPLAINT = "complaint", _("投诉")

    class State(models.TextChoices):
        PENDING = "pending", _("待审核")
        PUBLISHED = "published", _("已发布")
        REJECTED = "rejected", _("已驳回")
        HIDDEN = "hidden", _("已隐藏")

    class CaseStatus(models.TextChoices):
        NONE = "none", _("无需跟进")
        OPEN = "open", _("待回复")
        REPLIED = "replied", _("已答复")
        CLOSED = "closed", _("已办结")

    # The 48-hour first-reply clock (campaigns.clock): opened, due, first reply.
    CLOCK = ClockFields(opened="created_at", due="reply_due_at", replied="first_replied_at")

    # Which moderation state may follow which; the services enforce it.
    TRANSITIONS = {
        State.PENDING: {State.PUBLISHED, State.REJECTED, State.HIDDEN},
        State.PUBLISHED: {State.HIDDEN},
        State.HIDDEN: {State.PUBLISHED},
        State.REJECTED: {State.PUBLISHED},
    }

    reference = models.CharField(_("反馈编号"), max_length=12, unique=True, editable=False)
    activity = models.ForeignKey(
        Activity,
        on_delete=models.PROTECT,
        related_name="feedback",
        null=True,
        blank=True,
        verbose_name=_("活动"),
        help_text=_("为空表示对活动季的整体评价"),
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, related_name="feedback", verbose_name=_("主题")
    )
    theme_item = models.ForeignKey(
        ThemeItem,
        on_delete=models.SET_NULL,
        related_name="feedback",
        null=True,
        blank=True,
        verbose_name=_("具体产品或服务"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="feedback",
        null=True,
        blank=True,
        verbose_name=_("城市"),
        help_text=_("活动的城市，或客户选择的城市；为空表示全国"),
    )
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    overall_score = models.PositiveSmallIntegerField(_("总体满意度"))
    recommend_score = models.PositiveSmallIntegerField(_("推荐意愿"))
    score_network = _score_field(_("网络质量"))
    score_billing = _score_field(_("资费透明与账单清晰"))
    score_usability = _score_field(_("产品易用"))
    score_attitude = _score_field(_("服务态度"))
    score_expertise = _score_field(_("专业能力"))
    score_efficiency = _score_field(_("办理/响应效率"))
    score_resolution = _score_field(_("问题解决程度"))
    score_organisation = _score_field(_("活动组织"))
    comment = models.TextField(_("评价内容"), max_length=COMMENT_MAX_LENGTH)
    public_comment = models.TextField(
        _("公开内容"),
        max_length=COMMENT_MAX_LENGTH,
        blank=True,
        help_text=_("自动隐去手机号、身份证号和邮箱后的版本"),
    )

    # Contact, only when the person wants a reply.
    wants_reply = models.BooleanField(_("希望得到回复"), default=False)
    name = models.CharField(_("姓名"), max_length=30, blank=True)
    phone = models.CharField(_("手机号"), max_length=11, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    consent_at = models.DateTimeField(_("同意时间"), null=True, blank=True)
    privacy_version = models.CharField(_("个人信息保护说明版本"), max_length=20, blank=True)
    language = models.CharField(
        _("语言"), max_length=10, blank=True, help_text=_("提交时页面的语言，用于回复通知邮件")
    )
    # The signup whose reference code and phone the person gave: a verified participant.
    signup = models.ForeignKey(
        "campaigns.Signup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
        verbose_name=_("关联报名"),
    )

    # Moderation.
    state = models.CharField(
        _("审核状态"), max_length=12, choices=State.choices, default=State.PENDING
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    moderated_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    rejection_reason = models.CharField(_("驳回原因"), max_length=200, blank=True)

    # The case and its 48-hour first-reply clock.
    reply_due_at = models.DateTimeField(_("首次回复期限"), null=True, blank=True)
    first_replied_at = models.DateTimeField(_("首次回复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    outcome = models.TextField(_("办理结果"), max_length=REPLY_MAX_LENGTH, blank=True)

    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("体验反馈")
        verbose_name_plural = _("体验反馈")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("moderate_feedback", _("审核和回复体验反馈")),
            ("view_dashboard", _("查看数据看板和活动报告")),
            ("export_reports", _("导出反馈、报名和体验官报名报表")),
        ]
        indexes = [
            models.Index(fields=["state", "-created_at"], name="feedback_state_created"),
            models.Index(fields=["activity", "state"], name="feedback_activity_state"),
            # Day ranges: the dashboard's raw rows (today, stale days) and the rollup builder.
            models.Index(fields=["created_at"], name="feedback_created"),
            # 我的: the feedback a number left (only rows that kept one).
            models.Index(fields=["phone"], name="feedback_phone", condition=~Q(phone="")),
            # Escalated cases still unanswered: the dashboard counts them per rung.
            models.Index(
                fields=["escalation"],
                name="feedback_escalated_open",
                condition=Q(first_replied_at__isnull=True) & ~Q(escalation=""),
            ),
            # Cases still waiting for their first reply, by deadline: the dashboard's pending
            # count and overdue list, read live because they depend on the clock (created_at
            # too, so that a date filter is checked in the index). No plain index on the
            # deadline: PostgreSQL preferred it for the overdue list (it cannot tell that most
            # rows without a reply are not cases) and read 240,000 rows for 20.
            models.Index(
                fields=["reply_due_at", "created_at"],
                name="feedback_unanswered_due",
                condition=Q(reply_due_at__isnull=False, first_replied_at__isnull=True),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["signup"],
                condition=models.Q(signup__isnull=False),
                name="feedback_one_per_signup",
            ),
            # One rating per phone and activity (see docs/feedback.md).
            models.UniqueConstraint(
                fields=["activity", "phone"],
                condition=Q(activity__isnull=False) & ~Q(phone=""),
                name="feedback_one_rating_per_phone_and_activity",
            ),
            _range("overall_score", 1, 10),
            _range("recommend_score", 0, 10),
            *(_range(field, 1, 10, nullable=True) for field, _label in DIMENSIONS),
            models.CheckConstraint(
                condition=~Q(state="rejected") | ~Q(rejection_reason=""),
                name="feedback_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(wants_reply=False) | (~Q(phone="") & Q(consent_at__isnull=False)),
                name="feedback_reply_needs_phone_and_consent",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(reply_due_at__isnull=False),
                name="feedback_only_cases_close",
            ),
            models.CheckConstraint(
                condition=Q(reply_due_at__isnull=True) | Q(reply_due_at__gt=F("created_at")),
                name="feedback_due_after_created",
            ),
        ]

    def __str__(self):
        return self.reference

    def get_staff_url(self) -> str:
        return reverse("feedback:staff_detail", args=[self.pk])

    @property
    def verified(self) -> bool:
        """A participant whose signup reference and phone matched."""
        return self.signup_id is not None

    @property
    def is_case(self) -> bool:
        return self.reply_due_at is not None

    def clock(self, now) -> CaseClock:
        return case_clock(self, now)

    @property
    def case_status(self) -> str:
        if not self.is_case:
            return self.CaseStatus.NONE
        if self.closed_at:
            return self.CaseStatus.CLOSED
        if self.first_replied_at:
            return self.CaseStatus.REPLIED
        return self.CaseStatus.OPEN

    def get_case_status_display(self) -> str:
        return self.CaseStatus(self.case_status).label

    @property
    def public_author(self) -> str:
        return mask_name(self.name) if self.name else str(_("匿名用户"))

    @property
    def dimension_scores(self) -> list[tuple[str, int | None]]:
        return [(label, getattr(self, field)) for field, label in DIMENSIONS]

    @property
    def rated_dimensions(self) -> list[tuple[str, int]]:
        return [(label, score) for label, score in self.dimension_scores if score is not None]

    @property
    def score_band(self) -> str:
        if self.overall_score <= 6:
            return "low"
        if self.overall_score <= 8:
            return "mid"
        return "high"


class Reply(models.Model):
    class Kind(models.TextChoices):
        OFFICIAL = "official", _("正式答复")
        NOTE = "note", _("内部备注")

    feedback = models.ForeignKey(
        Feedback, on_delete=models.CASCADE, related_name="replies", verbose_name=_("体验反馈")
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("回复人"),
    )
    body = models.TextField(_("内容"), max_length=REPLY_MAX_LENGTH)
    created_at = models.DateTimeField(_("回复时间"), default=timezone.now)

    class Meta:
        verbose_name = _("回复")
        verbose_name_plural = _("回复")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="reply_body_not_empty"),
        ]

    def __str__(self):
        return f"{self.feedback} · {self.get_kind_display()}"


class ReplyTemplate(models.Model):
    """A starting text for official replies, per theme (empty theme: any theme)."""

    theme = models.ForeignKey(
        Theme,
        on_delete=models.CASCADE,
        related_name="reply_templates",
        null=True,
        blank=True,
        verbose_name=_("主题"),
        help_text=_("为空表示适用于所有主题"),
    )
    title = models.CharField(_("标题"), max_length=60)
    body = models.TextField(_("内容"), max_length=REPLY_MAX_LENGTH)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("回复模板")
        verbose_name_plural = _("回复模板")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "title"], name="replytemplate_unique_title"),
        ]

    def __str__(self):
        return self.title


class FeedbackEvent(models.Model):
    """Audit log: who did what to which feedback, when, from which state to which."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("提交")
        PUBLISHED = "published", _("发布")
        REJECTED = "rejected", _("驳回")
        HIDDEN = "hidden", _("隐藏")
        REPLIED = "replied", _("正式答复")
        NOTED = "noted", _("内部备注")
        CLOSED = "closed", _("办结")

    feedback = models.ForeignKey(
        Feedback, on_delete=models.PROTECT, related_name="events", verbose_name=_("体验反馈")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    action = models.CharField(_("操作"), max_length=12, choices=Action.choices)
    from_state = models.CharField(_("原状态"), max_length=12, blank=True)
    to_state = models.CharField(_("新状态"), max_length=12, blank=True)
    reason = models.TextField(_("原因/说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.feedback} · {self.get_action_display()}"

    @staticmethod
    def _label(value: str) -> str:
        for choices in (Feedback.State, Feedback.CaseStatus):
            if value in choices.values:
                return choices(value).label
        return value

    @property
    def from_label(self) -> str:
        return self._label(self.from_state)

    @property
    def to_label(self) -> str:
        return self._label(self.to_state)


class ExportJob(models.Model):
    """A report too big for a request, written to a file under MEDIA_ROOT by a background
    task (`feedback.reporting.export_jobs`); only its owner may download it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="export_jobs",
        verbose_name=_("用户"),
    )
    export = models.CharField(_("报表"), max_length=30)
    format = models.CharField(_("格式"), max_length=8)
    language = models.CharField(_("语言"), max_length=10)
    filters = models.JSONField(_("筛选条件"), default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    unmasked = models.BooleanField(_("含完整个人信息"), default=False)
    rows_done = models.PositiveIntegerField(_("已完成行数"), default=0)
    rows_total = models.PositiveIntegerField(_("总行数"), null=True, blank=True)
    file = models.FileField(_("文件"), upload_to="exports/", blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台导出任务")
        verbose_name_plural = _("后台导出任务")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.export}.{self.format} #{self.pk}"

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, round(100 * self.rows_done / self.rows_total))

    @property
    def expired(self) -> bool:
        """Finished, and its file deleted by `export_jobs_expire` (the row stays, so the
        owner's page and a late download can say so)."""
        return self.status == self.Status.DONE and not self.file

    @property
    def expires_at(self):
        """When the file of a finished job is deleted (settings.EXPORT_JOB_RETENTION_HOURS)."""
        if self.status != self.Status.DONE or not self.finished_at:
            return None
        return self.finished_at + datetime.timedelta(hours=settings.EXPORT_JOB_RETENTION_HOURS)

# --- Dashboard rollups (feedback/reporting/rollups.py, docs/dashboard.md) ---------------

# Sums and counts a feedback rollup row keeps; `feedback.reporting.rollups` computes each from
# feedback rows and the dashboard adds them up.
OVERALL_SCORES = range(1, 11)
FEEDBACK_ROLLUP_FIELDS = (
    "rows",
    "complaints",
    "overall_sum",
    *(f"overall_{score}" for score in OVERALL_SCORES),
    "promoters",
    "passives",
    "detractors",
    "cases",
    "on_time",
    "late",
    "unanswered",
    *(f"{name}_{part}" for name, _label in DIMENSIONS for part in ("sum", "count")),
)
SIGNUP_ROLLUP_FIELDS = ("total", "confirmed", "waitlisted", "cancelled", "attended", "no_show")


def _count_field():
    return models.PositiveIntegerField(default=0)


class RollupDay(models.Model):
    """Freshness of one local day's rollup rows (Asia/Shanghai) of feedback or signups.

    Every change to a row created on a past day bumps `version` in the same transaction
    (feedback.reporting.rollups, model signals); the builder sets `built_version` to the
    version it read before reading the rows, with a conditional UPDATE. The rollup of a day
    is used only while `built_version == version`; otherwise the dashboard reads that day's
    rows themselves.
    """

    class Subject(models.TextChoices):
        FEEDBACK = "feedback", _("体验反馈")
        SIGNUPS = "signups", _("报名")

    subject = models.CharField(_("数据"), max_length=10, choices=Subject.choices)
    day = models.DateField(_("日期"))
    version = models.PositiveIntegerField(_("版本"), default=0)
    built_version = models.PositiveIntegerField(_("已汇总版本"), null=True, blank=True)
    built_at = models.DateTimeField(_("汇总时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("汇总日")
        verbose_name_plural = _("汇总日")
        ordering = ["subject", "day"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "day"], name="rollupday_one_per_day"),
        ]

    def __str__(self):
        return f"{self.subject} {self.day.isoformat()}"

    @property
    def fresh(self) -> bool:
        return self.built_version == self.version


class FeedbackDayStats(models.Model):
    """Counts and score sums of one day's feedback for one activity, theme and moderation
    outcome (counted, or rejected: spam, abuse). Written only by the builder."""

    day = models.DateField(_("日期"))
    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("活动"),
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.CASCADE, related_name="+", verbose_name=_("主题")
    )
    counted = models.BooleanField(_("计入评分"), help_text=_("否：已驳回的反馈"))
    # The feedback's region code (GB/T 2260; "" for the whole country): a key, not a link,
    # so that a province's rows are those whose code starts with its two digits.
    region = models.CharField(_("区域代码"), max_length=6, blank=True)
    rows = _count_field()
    complaints = _count_field()
    overall_sum = _count_field()
    overall_1 = _count_field()
    overall_2 = _count_field()
    overall_3 = _count_field()
    overall_4 = _count_field()
    overall_5 = _count_field()
    overall_6 = _count_field()
    overall_7 = _count_field()
    overall_8 = _count_field()
    overall_9 = _count_field()
    overall_10 = _count_field()
    promoters = _count_field()
    passives = _count_field()
    detractors = _count_field()
    cases = _count_field()
    on_time = _count_field()
    late = _count_field()
    unanswered = _count_field()
    score_network_sum = _count_field()
    score_network_count = _count_field()
    score_billing_sum = _count_field()
    score_billing_count = _count_field()
    score_usability_sum = _count_field()
    score_usability_count = _count_field()
    score_attitude_sum = _count_field()
    score_attitude_count = _count_field()
    score_expertise_sum = _count_field()
    score_expertise_count = _count_field()
    score_efficiency_sum = _count_field()
    score_efficiency_count = _count_field()
    score_resolution_sum = _count_field()
    score_resolution_count = _count_field()
    score_organisation_sum = _count_field()
    score_organisation_count = _count_field()

    class Meta:
        verbose_name = _("反馈日汇总")
        verbose_name_plural = _("反馈日汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "activity", "theme", "counted", "region"],
                condition=Q(activity__isnull=False),
                name="feedbackdaystats_unique_activity",
            ),
            models.UniqueConstraint(
                fields=["day", "theme", "counted", "region"],
                condition=Q(activity__isnull=True),
                name="feedbackdaystats_unique_campaign",
            ),
        ]

    def __str__(self):
        return f"{self.day} · {self.activity_id} · {self.theme_id}"


class SignupDayStats(models.Model):
    """Signups made on one day for the sessions of one activity in one region, by status.
    Written only by the builder; a session moved to another activity or region makes the days
    of its signups stale (feedback.reporting.rollups)."""

    day = models.DateField(_("日期"))
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="+", verbose_name=_("活动")
    )
    # The session's region code ("" for an online session for the whole country).
    region = models.CharField(_("区域代码"), max_length=6, blank=True)
    total = _count_field()
    confirmed = _count_field()
    waitlisted = _count_field()
    cancelled = _count_field()
    attended = _count_field()
    no_show = _count_field()

    class Meta:
        verbose_name = _("报名日汇总")
        verbose_name_plural = _("报名日汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "activity", "region"], name="signupdaystats_unique"
            ),
        ]

    def __str__(self):
        return f"{self.day} · {self.activity_id} · {self.region}"
