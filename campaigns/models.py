"""The campaign, its themes, its activities and their sessions.

Places are counted in `Session.places_taken`, which only the signup services change, in the
same transaction as the signup rows; "places left" is derived from it by the selectors.
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .clock import CaseClock, ClockFields, case_clock
from .refcodes import format_code


class Region(models.Model):
    """A province or a city, by its official administrative code (GB/T 2260).

    Loaded from campaigns/data/regions.json by a migration. Cities are the prefecture-level
    divisions, the four municipalities (each its own one city) and the county-level cities a
    province administers directly; each has its own branch company, which answers its
    customers. Staff scopes, activities, sessions, applications and feedback point here.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("省级")
        CITY = "city", _("地市级")

    code = models.CharField(_("行政区划代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=40)
    name_en = models.CharField(_("英文名称"), max_length=60)
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices)
    province = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cities",
        verbose_name=_("所属省份"),
        limit_choices_to={"level": Level.PROVINCE},
    )

    class Meta:
        verbose_name = _("行政区域")
        verbose_name_plural = _("行政区域")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level="province", province__isnull=True)
                | Q(level="city", province__isnull=False),
                name="region_city_has_province",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The name in the page's language (Pinyin on the English site)."""
        return self.name_en if get_language() == "en" else self.name


class Campaign(models.Model):
    title = models.CharField(_("标题"), max_length=100)
    slogan = models.CharField(_("口号"), max_length=100)
    intro = models.TextField(_("简介"))
    pledge = models.TextField(_("服务承诺"), blank=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))

    class Meta:
        verbose_name = _("活动季")
        verbose_name_plural = _("活动季")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="campaign_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.title


class Theme(models.Model):
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="themes", verbose_name=_("活动季")
    )
    name = models.CharField(_("名称"), max_length=40)
    slug = models.SlugField(_("网址标识"), max_length=40)
    tagline = models.CharField(_("一句话介绍"), max_length=120, blank=True)
    description = models.TextField(_("说明"), blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("主题")
        verbose_name_plural = _("主题")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "slug"], name="theme_unique_slug"),
        ]

    def __str__(self):
        return self.name


class ThemeItem(models.Model):
    """A network, product or service that a theme covers (5G网络, 视频彩铃, 5G视频客服…)."""

    theme = models.ForeignKey(
        Theme, on_delete=models.CASCADE, related_name="items", verbose_name=_("主题")
    )
    name = models.CharField(_("名称"), max_length=60)
    audience = models.CharField(
        _("面向"), max_length=20, blank=True, help_text=_("如：个人客户、家庭客户、政企客户")
    )
    description = models.CharField(_("说明"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("主题内容")
        verbose_name_plural = _("主题内容")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "name"], name="themeitem_unique_name"),
        ]

    def __str__(self):
        return self.name


class Activity(models.Model):
    class Kind(models.TextChoices):
        OFFICER = "officer", _("我是服务体验官")
        OPEN_DAY = "open_day", _("走进移动")
        GM_RECEPTION = "gm_reception", _("总经理接待日")

    # Kinds booked per session (places, slots); officers apply to the activity itself.
    SESSION_KINDS = (Kind.OPEN_DAY, Kind.GM_RECEPTION)

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="activities", verbose_name=_("活动季")
    )
    kind = models.CharField(_("活动类型"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=100)
    slug = models.SlugField(_("网址标识"), max_length=80, unique=True)
    summary = models.CharField(_("摘要"), max_length=200)
    description = models.TextField(_("活动介绍"))
    eligibility = models.TextField(_("参与条件"), blank=True)
    rules = models.TextField(_("活动须知"), blank=True)
    themes = models.ManyToManyField(
        Theme, related_name="activities", blank=True, verbose_name=_("主题")
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("所属区域"),
        help_text=_("举办活动的省份或城市；为空表示全国"),
    )
    is_published = models.BooleanField(_("已发布"), default=False)
    signup_opens_at = models.DateTimeField(_("报名开始"), null=True, blank=True)
    signup_closes_at = models.DateTimeField(_("报名截止"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(signup_opens_at__isnull=True)
                | Q(signup_closes_at__isnull=True)
                | Q(signup_closes_at__gt=F("signup_opens_at")),
                name="activity_signup_window_ordered",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("campaigns:activity_detail", kwargs={"slug": self.slug})

    def clean(self):
        if (
            self.signup_opens_at
            and self.signup_closes_at
            and self.signup_closes_at <= self.signup_opens_at
        ):
            raise ValidationError({"signup_closes_at": _("报名截止时间必须晚于报名开始时间。")})

    def signup_window_state(self, now=None) -> str:
        """'not_open', 'open' or 'closed', from the activity's own window."""
        now = now or timezone.now()
        if self.signup_opens_at and now < self.signup_opens_at:
            return "not_open"
        if self.signup_closes_at and now >= self.signup_closes_at:
            return "closed"
        return "open"


class Session(models.Model):
    """One occasion of an activity: an open-day visit or a general-manager reception slot."""

    class State(models.TextChoices):
        NOT_OPEN = "not_open", _("未开放报名")
        OPEN = "open", _("可报名")
        FEW_LEFT = "few_left", _("名额紧张")
        WAITLIST = "waitlist", _("已满，可候补")
        FULL = "full", _("已满")
        CLOSED = "closed", _("已截止")

    # At or below this many places left a session is shown as "few left".
    FEW_LEFT_THRESHOLD = 3

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("活动")
    )
    title = models.CharField(_("场次名称"), max_length=100, blank=True)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    is_online = models.BooleanField(_("线上场次"), default=False)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("城市"),
        help_text=_("线下场次填写城市；线上场次可填省份，为空表示全国"),
    )
    venue = models.CharField(_("地点"), max_length=200, blank=True)
    online_url = models.URLField(_("线上链接"), blank=True)
    capacity = models.PositiveIntegerField(_("名额"))
    places_taken = models.PositiveIntegerField(_("已占名额"), default=0, editable=False)
    waitlist_enabled = models.BooleanField(_("开放候补"), default=True)
    waitlist_limit = models.PositiveIntegerField(
        _("候补上限"), default=0, help_text=_("0 表示不限")
    )
    notes = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("场次")
        verbose_name_plural = _("场次")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["activity", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=0), name="session_capacity_gte_0"),
            # Backstop for the signup service's conditional update: never overbooked.
            models.CheckConstraint(
                condition=Q(places_taken__gte=0) & Q(places_taken__lte=F("capacity")),
                name="session_places_within_capacity",
            ),
            models.CheckConstraint(
                condition=Q(is_online=True) | (Q(region__isnull=False) & ~Q(venue="")),
                name="session_offline_has_city_and_venue",
            ),
        ]

    def __str__(self):
        label = self.title or timezone.localtime(self.starts_at).strftime("%Y-%m-%d %H:%M")
        return f"{self.activity} · {label}"

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("结束时间必须晚于开始时间。")
        if not self.is_online:
            if self.region_id is None:
                errors["region"] = _("线下场次请填写城市。")
            elif self.region.level != Region.Level.CITY:
                errors["region"] = _("线下场次请选择城市，而不是省份。")
            if not self.venue:
                errors["venue"] = _("线下场次请填写地点。")
        if self.pk and self.capacity is not None and self.capacity < self.places_taken:
            errors["capacity"] = _("名额不能少于已报名的 %(taken)d 人。") % {
                "taken": self.places_taken
            }
        if errors:
            raise ValidationError(errors)

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.places_taken, 0)

    @property
    def city(self) -> str:
        """The city's name for an on-site session; needs `region` loaded."""
        return self.region.label if self.region_id and not self.is_online else ""

    @property
    def place_label(self) -> str:
        return _("线上") if self.is_online else self.city

    def state(self, now=None) -> str:
        """What a visitor can do now; needs `activity` loaded. Runs no query, except to count
        the waiting list of a full session that the selectors did not annotate."""
        now = now or timezone.now()
        if self.starts_at <= now:
            return self.State.CLOSED
        window = self.activity.signup_window_state(now)
        if window == "not_open":
            return self.State.NOT_OPEN
        if window == "closed":
            return self.State.CLOSED
        if self.places_left == 0:
            return self.State.WAITLIST if self.waitlist_has_room() else self.State.FULL
        # A one-place GM-reception slot is simply free, not "few left".
        if self.places_left <= self.FEW_LEFT_THRESHOLD < self.capacity:
            return self.State.FEW_LEFT
        return self.State.OPEN

    def get_state_display(self, now=None) -> str:
        return self.State(self.state(now)).label

    @property
    def waitlist_count(self) -> int:
        """People waiting; annotated by the selectors (`waiting`), counted here otherwise."""
        waiting = getattr(self, "waiting", None)
        if waiting is None:
            waiting = self.signups.filter(status=Signup.Status.WAITLISTED).count()
        return waiting

    def waitlist_has_room(self) -> bool:
        if not self.waitlist_enabled:
            return False
        return self.waitlist_limit == 0 or self.waitlist_count < self.waitlist_limit


class OfficerQuota(models.Model):
    """How many service experience officers a city recruits (我是服务体验官)."""

    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        related_name="quotas",
        verbose_name=_("活动"),
        limit_choices_to={"kind": Activity.Kind.OFFICER},
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="officer_quotas",
        verbose_name=_("城市"),
        limit_choices_to={"level": Region.Level.CITY},
    )
    places = models.PositiveIntegerField(_("名额"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("体验官城市名额")
        verbose_name_plural = _("体验官城市名额")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "region"], name="quota_unique_city"),
        ]

    def __str__(self):
        return f"{self.region} · {self.places}"

    @property
    def city(self) -> str:
        return self.region.label



class StaffScope(models.Model):
    """Which regions a staff member works for: the whole country, provinces or cities.

    Every staff page, export and admin list shows only records of the scope
    (campaigns.regions.scope_for); staff without a scope see no records, superusers all.
    """

    class Level(models.TextChoices):
        NATIONAL = "national", _("全国")
        PROVINCE = "province", _("省公司")
        CITY = "city", _("地市分公司")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_scope",
        verbose_name=_("员工"),
    )
    level = models.CharField(_("范围"), max_length=10, choices=Level.choices)
    regions = models.ManyToManyField(
        Region, blank=True, related_name="+", verbose_name=_("负责的省份或城市"),
        help_text=_("省公司选省份，地市分公司选城市，全国不选"),
    )
    weekly_report = models.BooleanField(
        _("接收每周区域报告"), default=True,
        help_text=_("每周一早上收到本区域上周的报告；可在邮件中退订"),
    )
    escalation_alerts = models.BooleanField(
        _("接收超时升级提醒"), default=True,
        help_text=_("本级的客户诉求超过首次回复期限时收到提醒"),
    )
    alert_phone = models.CharField(
        _("提醒短信号码"), max_length=11, blank=True,
        help_text=_("选填；填写后超时升级提醒也发短信"),
    )
    # The Monday of the last week whose report was sent: a second cron run sends none.
    weekly_report_sent_for = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("员工负责区域")
        verbose_name_plural = _("员工负责区域")

    def __str__(self):
        return f"{self.user} · {self.get_level_display()}"



class Escalation(models.TextChoices):
    """Where an unanswered case stands on the escalation ladder (campaigns.services.escalation):
    at its due time the city team is told, 24 hours later the province, 48 hours later the
    national team (hours: CASE_ESCALATION_HOURS). The values are StaffScope levels."""

    NONE = "", _("未升级")
    CITY = "city", _("已通知地市分公司")
    PROVINCE = "province", _("已升级至省公司")
    NATIONAL = "national", _("已升级至全国")


class EscalationFields(models.Model):
    """A case's rung on the ladder; only the escalation service changes these."""

    escalation = models.CharField(
        _("超时升级"), max_length=10, choices=Escalation.choices, default="", blank=True,
        editable=False,
    )
    escalated_at = models.DateTimeField(_("升级时间"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True


# --- Signups, GM-reception cases and officer applications ---------------------------------


class PersonalDataMixin(models.Model):
    """What every public signup or application stores about the person, and their consent.

    `secret_hash` is the SHA-256 of the token in the self-service link; the token itself is
    made when the email is sent (campaigns.notifications) and is only ever in the email and
    the first redirect, never in the database or the task queue.
    """

    reference = models.CharField(_("报名编号"), max_length=8, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    name = models.CharField(_("姓名"), max_length=40)
    phone = models.CharField(_("手机号码"), max_length=11, db_index=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    language = models.CharField(_("语言"), max_length=10, default="zh-hans", editable=False)
    consent_at = models.DateTimeField(_("同意个人信息保护说明的时间"))
    privacy_version = models.CharField(_("个人信息保护说明版本"), max_length=20)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)
    erased_at = models.DateTimeField(_("个人信息删除时间"), null=True, blank=True)
    # When the current self-service link was made (it is valid SELF_SERVICE_LINK_DAYS after
    # this or after the activity ended, whichever is later).
    secret_issued_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def link_valid_until(self) -> datetime.datetime:
        """Needs the activity's end loaded (`activity_ended_at`)."""
        start = max(self.activity_ended_at, self.secret_issued_at or self.created_at)
        return start + datetime.timedelta(days=settings.SELF_SERVICE_LINK_DAYS)

    @property
    def reference_display(self) -> str:
        return format_code(self.reference)


class Signup(PersonalDataMixin):
    """A place in a session (走进移动) or a reception slot (总经理接待日)."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("报名成功")
        WAITLISTED = "waitlisted", _("候补中")
        CANCELLED = "cancelled", _("已取消")
        ATTENDED = "attended", _("已到场")
        NO_SHOW = "no_show", _("未到场")

    # One of these per phone number and session at most.
    ACTIVE = (Status.CONFIRMED, Status.WAITLISTED, Status.ATTENDED, Status.NO_SHOW)
    # These count against the session's places.
    HOLDS_PLACE = (Status.CONFIRMED, Status.ATTENDED, Status.NO_SHOW)
    # The person may still cancel or leave the waiting list (until the session starts).
    CANCELLABLE = (Status.CONFIRMED, Status.WAITLISTED)
    # A participant who may rate the activity as verified (feedback).
    RATEABLE = (Status.CONFIRMED, Status.ATTENDED)
    MAX_COMPANIONS = 4

    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="signups", verbose_name=_("场次")
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.CONFIRMED
    )
    companions = models.PositiveSmallIntegerField(_("同行人数"), default=0)
    with_minors = models.BooleanField(_("同行人中有未成年人"), default=False)
    interests = models.CharField(_("关注内容"), max_length=200, blank=True)
    accessibility_needs = models.CharField(_("无障碍需求"), max_length=200, blank=True)
    rules_accepted_at = models.DateTimeField(_("接受活动须知的时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("候补转正时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("活动报名")
        verbose_name_plural = _("活动报名")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("view_personal_data", _("可查看完整的姓名、手机号码和邮箱")),
        ]
        indexes = [models.Index(fields=["session", "status", "id"])]
        constraints = [
            # An erased number ("") is nobody's: purged past signups never collide.
            models.UniqueConstraint(
                fields=["session", "phone"],
                condition=Q(status__in=["confirmed", "waitlisted", "attended", "no_show"])
                & ~Q(phone=""),
                name="signup_one_active_per_phone_and_session",
            ),
            models.CheckConstraint(
                condition=Q(companions__gte=0) & Q(companions__lte=4),
                name="signup_companions_0_to_4",
            ),
            models.CheckConstraint(
                condition=Q(with_minors=False) | Q(companions__gte=1),
                name="signup_minors_need_companions",
            ),
        ]

    def __str__(self):
        return f"{self.reference_display} · {self.session}"

    @property
    def places(self) -> int:
        return 1 + self.companions

    @property
    def activity_ended_at(self) -> datetime.datetime:
        """When what the person signed up for ended (retention and link expiry count from
        here); needs `session` loaded."""
        return self.session.ends_at

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def is_reception(self) -> bool:
        """A GM-reception slot (预约), not a place at an open day (报名); needs `session` and
        its activity loaded."""
        return self.session.activity.kind == Activity.Kind.GM_RECEPTION

    @property
    def status_label(self) -> str:
        """The status in the words of the thing booked: a GM-reception slot is 预约成功."""
        if self.status == self.Status.CONFIRMED and self.is_reception:
            return _("预约成功")
        return self.get_status_display()

    @property
    def waitlist_position(self) -> int | None:
        """1 for the first person waiting; None when not on the waiting list."""
        if self.status != self.Status.WAITLISTED:
            return None
        return (
            Signup.objects.filter(
                session_id=self.session_id, status=self.Status.WAITLISTED, id__lt=self.id
            ).count()
            + 1
        )


class ReceptionCase(EscalationFields):
    """The issue a customer brings to a GM reception slot, and how staff handle it."""

    class Category(models.TextChoices):
        NETWORK_SIGNAL = "network_signal", _("网络信号")
        BROADBAND = "broadband", _("宽带故障")
        BILLING = "billing", _("资费账单")
        SERVICE_CHANGE = "service_change", _("业务办理与退订")
        MARKETING = "marketing", _("营销扰民")
        ATTITUDE = "attitude", _("服务态度")
        PRODUCT = "product", _("产品使用")
        OTHER = "other", _("其他")

    class ContactMode(models.TextChoices):
        ONSITE = "onsite", _("现场")
        VIDEO = "video", _("视频")
        PHONE = "phone", _("电话")

    class Status(models.TextChoices):
        RECEIVED = "received", _("已受理")
        IN_PROGRESS = "in_progress", _("处理中")
        REPLIED = "replied", _("已答复")
        CLOSED = "closed", _("已办结")

    # The order a case moves in; it never goes back.
    FLOW = (Status.RECEIVED, Status.IN_PROGRESS, Status.REPLIED, Status.CLOSED)
    # The 48-hour first-reply clock (campaigns.clock); opened when the slot was booked.
    CLOCK = ClockFields(opened="opened_at", due="first_reply_due_at", replied="first_replied_at")

    signup = models.OneToOneField(
        Signup, on_delete=models.CASCADE, related_name="reception", verbose_name=_("预约")
    )
    category = models.CharField(_("诉求类别"), max_length=20, choices=Category.choices)
    description = models.TextField(_("问题描述"))
    account = models.CharField(_("涉及号码或宽带账号"), max_length=40)
    raised_with_10086 = models.BooleanField(_("已向10086反映过"), default=False)
    ticket_number = models.CharField(_("10086工单号"), max_length=40, blank=True)
    contact_mode = models.CharField(_("接待方式"), max_length=10, choices=ContactMode.choices)
    expected_outcome = models.CharField(_("期望结果"), max_length=300, blank=True)
    status = models.CharField(
        _("处理状态"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reception_cases",
        verbose_name=_("负责人"),
    )
    internal_notes = models.TextField(_("内部备注"), blank=True)
    outcome = models.TextField(_("答复客户的内容"), blank=True)
    first_reply_due_at = models.DateTimeField(_("首次回复期限"))
    first_replied_at = models.DateTimeField(_("首次回复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("接待日诉求")
        verbose_name_plural = _("接待日诉求")
        ordering = ["first_reply_due_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(raised_with_10086=True) | Q(ticket_number=""),
                name="reception_ticket_only_if_raised",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["received", "in_progress"]) | ~Q(outcome=""),
                name="reception_replied_has_outcome",
            ),
        ]

    def __str__(self):
        return f"{self.signup.reference_display} · {self.get_category_display()}"

    def get_staff_url(self) -> str:
        return reverse("admin:campaigns_receptioncase_change", args=[self.pk])

    @property
    def opened_at(self):
        return self.signup.created_at

    def clock(self, now=None) -> CaseClock:
        return case_clock(self, now or timezone.now())

    def is_overdue(self, now=None) -> bool:
        return self.clock(now).is_overdue

    @property
    def outcome_visible(self) -> bool:
        return self.status in (self.Status.REPLIED, self.Status.CLOSED)


class OfficerApplication(PersonalDataMixin):
    """An application to become a service experience officer (我是服务体验官)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        ACCEPTED = "accepted", _("已录用")
        REJECTED = "rejected", _("未录用")
        RESERVE = "reserve", _("候补")
        WITHDRAWN = "withdrawn", _("已撤回")

    class Occupation(models.TextChoices):
        STUDENT = "student", _("学生")
        EMPLOYEE = "employee", _("企业职员")
        PUBLIC_SECTOR = "public_sector", _("机关事业单位")
        SELF_EMPLOYED = "self_employed", _("个体经营")
        FREELANCE = "freelance", _("自由职业")
        RETIRED = "retired", _("离退休")
        OTHER = "other", _("其他")

    class Tenure(models.TextChoices):
        UNDER_1 = "under_1", _("1年以下")
        FROM_1_TO_3 = "1_to_3", _("1–3年")
        FROM_3_TO_10 = "3_to_10", _("3–10年")
        OVER_10 = "over_10", _("10年以上")

    class Participation(models.TextChoices):
        ONLINE = "online", _("线上")
        OFFLINE = "offline", _("线下")
        EITHER = "either", _("均可")

    DECISIONS = (Status.ACCEPTED, Status.REJECTED, Status.RESERVE)
    # What the applicant may still withdraw: not a rejection (withdrawing it would free the
    # phone number to apply again while the window is open), not a withdrawal.
    WITHDRAWABLE = (Status.PENDING, Status.RESERVE, Status.ACCEPTED)
    MIN_AGE = 18
    MAX_AGE = 65

    activity = models.ForeignKey(
        Activity,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("活动"),
        limit_choices_to={"kind": Activity.Kind.OFFICER},
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    is_customer = models.BooleanField(_("是中国移动客户"), default=True)
    birth_year = models.PositiveSmallIntegerField(_("出生年份"))
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="officer_applications",
        verbose_name=_("所在城市"),
        limit_choices_to={"level": Region.Level.CITY},
    )
    occupation = models.CharField(_("职业"), max_length=20, choices=Occupation.choices)
    services = models.ManyToManyField(
        ThemeItem, blank=True, related_name="+", verbose_name=_("使用的业务")
    )
    tenure = models.CharField(_("入网时长"), max_length=10, choices=Tenure.choices, blank=True)
    theme = models.ForeignKey(
        Theme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("意向主题"),
    )
    participation = models.CharField(
        _("参与方式"), max_length=10, choices=Participation.choices
    )
    motivation = models.TextField(_("报名理由"))
    code_accepted_at = models.DateTimeField(_("接受体验官守则的时间"))
    review_reason = models.TextField(_("审核意见"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("体验官报名")
        verbose_name_plural = _("体验官报名")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "phone"],
                condition=~Q(status="withdrawn") & ~Q(phone=""),
                name="application_one_per_phone",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "withdrawn"]) | ~Q(review_reason=""),
                name="application_decision_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.reference_display} · {self.region}"

    @property
    def city(self) -> str:
        """The applicant's city by name; needs `region` loaded."""
        return self.region.label

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.WITHDRAWN

    @property
    def activity_ended_at(self) -> datetime.datetime:
        """The end of the campaign's last day (an officer serves the whole campaign); needs
        `activity__campaign` loaded."""
        last_day = self.activity.campaign.ends_on + datetime.timedelta(days=1)
        return datetime.datetime.combine(last_day, datetime.time.min,
                                         tzinfo=timezone.get_default_timezone())


class AuditEntry(models.Model):
    """Who changed or saw what on which record, when and why. Written only through
    `campaigns.services.audit` (by the services, and by the views, admin pages and exports
    that show or hand out personal data).

    Generic (content type + object id) so that other apps' records can be audited too.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
        help_text=_("空表示公众本人或系统"),
    )
    action = models.CharField(_("操作"), max_length=40, db_index=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("对象类型")
    )
    object_id = models.PositiveBigIntegerField(_("对象编号"))
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    from_state = models.CharField(_("原状态"), max_length=30, blank=True)
    to_state = models.CharField(_("新状态"), max_length=30, blank=True)
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    reason = models.TextField(_("原因"), blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["action", "-created_at"], name="audit_action_created"),
        ]
        permissions = [
            ("view_access_log", _("查看个人信息访问记录（谁查看、搜索、导出了个人信息）")),
        ]

    # Who saw or took personal data (the page campaigns:access_log lists these).
    ACCESS_ACTIONS = ("view_personal_data", "search_personal_data", "export", "export_unmasked",
                      "export_refused")

    def __str__(self):
        return f"{self.action} · {self.object_repr}"


class EscalationNotice(models.Model):
    """One staff member told that a case climbed one rung (`entry`, a case.escalate audit
    entry): by email, and by SMS to the scope's alert number."""

    entry = models.ForeignKey(AuditEntry, on_delete=models.CASCADE, related_name="+",
                              verbose_name=_("升级记录"))
    recipient = models.ForeignKey(StaffScope, on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("接收人"))
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("超时升级提醒")
        verbose_name_plural = _("超时升级提醒")
        constraints = [
            models.UniqueConstraint(fields=["entry", "recipient"], name="notice_once_per_step"),
        ]

    def __str__(self):
        return f"{self.entry} → {self.recipient}"


class PhoneCode(models.Model):
    """A one-time SMS code sent to a number for one purpose (campaigns.services.phone_codes).

    The code itself is never stored: `code_hash` is an HMAC of it (keyed with SECRET_KEY, so
    the table alone cannot be brute-forced), and the worker derives the code to send from
    `nonce`, which it blanks once the provider took the message.
    """

    class Purpose(models.TextChoices):
        SIGNUP = "signup", _("报名")
        LOOKUP = "lookup", _("登录我的")
        FEEDBACK = "feedback", _("反馈")

    phone = models.CharField(_("手机号码"), max_length=11)
    purpose = models.CharField(_("用途"), max_length=10, choices=Purpose.choices)
    code_hash = models.CharField(max_length=64)
    nonce = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("失效时间"))
    attempts = models.PositiveSmallIntegerField(_("错误次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        indexes = [
            # The check is one lookup: this number's latest code for this purpose.
            models.Index(fields=["phone", "purpose", "-created_at"], name="phonecode_latest"),
            models.Index(fields=["created_at"], name="phonecode_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")), name="phonecode_expires_after_sent"
            ),
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} · {self.created_at:%Y-%m-%d %H:%M}"
