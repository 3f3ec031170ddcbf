"""The campaign, its themes, its activities and their sessions.

Places are counted in `Session.places_taken`, which only the signup services change, in the
same transaction as the signup rows; "places left" is derived from it by the selectors.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
        _("面向"), max_length=20, blank=True, help_text=_("如:个人客户、家庭客户、政企客户")
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
        WAITLIST = "waitlist", _("已满,可候补")
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
    city = models.CharField(_("城市"), max_length=20, blank=True)
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
                condition=Q(is_online=True) | (~Q(city="") & ~Q(venue="")),
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
            if not self.city:
                errors["city"] = _("线下场次请填写城市。")
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
    def place_label(self) -> str:
        return _("线上") if self.is_online else self.city

    def state(self, now=None) -> str:
        """What a visitor can do now; needs `activity` loaded, runs no query."""
        now = now or timezone.now()
        if self.starts_at <= now:
            return self.State.CLOSED
        window = self.activity.signup_window_state(now)
        if window == "not_open":
            return self.State.NOT_OPEN
        if window == "closed":
            return self.State.CLOSED
        if self.places_left == 0:
            return self.State.WAITLIST if self.waitlist_enabled else self.State.FULL
        if self.places_left <= self.FEW_LEFT_THRESHOLD:
            return self.State.FEW_LEFT
        return self.State.OPEN

    def get_state_display(self, now=None) -> str:
        return self.State(self.state(now)).label


class OfficerQuota(models.Model):
    """How many service experience officers a city recruits (我是服务体验官)."""

    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        related_name="quotas",
        verbose_name=_("活动"),
        limit_choices_to={"kind": Activity.Kind.OFFICER},
    )
    city = models.CharField(_("城市"), max_length=20)
    places = models.PositiveIntegerField(_("名额"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("体验官城市名额")
        verbose_name_plural = _("体验官城市名额")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "city"], name="quota_unique_city"),
        ]

    def __str__(self):
        return f"{self.city} · {self.places}"
