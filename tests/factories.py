"""Factories for test data: realistic Chinese content by default."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from campaigns import services
from campaigns.data import load_regions
from campaigns.masking import mask_personal_data
from campaigns.models import (
    Activity,
    Campaign,
    OfficerApplication,
    OfficerQuota,
    ReceptionCase,
    Region,
    Session,
    Signup,
    StaffScope,
    Theme,
    ThemeItem,
)
from campaigns.regions import city_named
from feedback.models import Feedback, Reply, ReplyTemplate
from feedback.officers.models import ExperienceTask


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    title = "优质服务体验季"
    slogan = "心级服务，优+体验"
    intro = "中国移动启动“优质服务体验季”，为客户提供美好的数字化服务体验。"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    campaign = factory.SubFactory(CampaignFactory)
    name = factory.Sequence(lambda n: f"优+主题{n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")
    tagline = "覆盖广、上网快、不卡顿"


class ThemeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThemeItem

    theme = factory.SubFactory(ThemeFactory)
    name = factory.Sequence(lambda n: f"产品{n}")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    campaign = factory.SubFactory(CampaignFactory)
    kind = Activity.Kind.OPEN_DAY
    title = factory.Sequence(lambda n: f"探秘5G网络大脑{n}")
    slug = factory.Sequence(lambda n: f"activity-{n}")
    summary = "走进网络运营中心。"
    description = "参观网络运营中心大屏。"
    eligibility = "面向所有客户开放。"
    rules = "机房禁止拍照。"
    is_published = True
    signup_opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=5))
    signup_closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))


def city(name: str) -> Region:
    """A city by name ("北京" or "北京市"). The regions come from a migration; a
    transactional test's flush empties the table, so they are loaded again when missing."""
    if not Region.objects.exists():
        load_regions(Region)
    return city_named(name)


def region(code: str) -> Region:
    """A province or city by its code."""
    if not Region.objects.exists():
        load_regions(Region)
    return Region.objects.get(pk=code)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    class Params:
        city = "北京"

    activity = factory.SubFactory(ActivityFactory)
    title = factory.Sequence(lambda n: f"第{n}场")
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + datetime.timedelta(hours=2))
    region = factory.LazyAttribute(lambda o: city(o.city) if o.city else None)
    venue = "网络运营中心"
    capacity = 30


class OfficerQuotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficerQuota

    class Params:
        city = factory.Iterator(["北京", "上海", "广州", "杭州", "成都"])

    activity = factory.SubFactory(ActivityFactory, kind=Activity.Kind.OFFICER)
    region = factory.LazyAttribute(lambda o: city(o.city))
    places = 20


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def _scope():
    """A staff member's regions: national unless the test says `scope=("city",
    ["420100"])` (a level and codes), or `scope=False` for none at all."""

    @factory.post_generation
    def scope(obj, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        level, codes = extracted or (StaffScope.Level.NATIONAL, [])
        staff_scope = StaffScope.objects.create(user=obj, level=level)
        staff_scope.regions.set([region(code) for code in codes])

    return scope


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True
    scope = _scope()


# --- Signups and applications: created through the services, like the site does ----------


class SignupFactory(factory.Factory):
    """An open-day signup made through `signup_create` (so places are counted)."""

    class Meta:
        model = Signup

    session = factory.SubFactory(SessionFactory)
    name = "王小明"
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    email = ""
    companions = 0
    rules_accepted = True

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.signup_create(**kwargs)


class ReceptionSignupFactory(SignupFactory):
    """A GM-reception slot booking with its issue."""

    session = factory.SubFactory(
        SessionFactory,
        activity__kind=Activity.Kind.GM_RECEPTION,
        capacity=1,
        waitlist_enabled=False,
        ends_at=factory.LazyAttribute(lambda s: s.starts_at + datetime.timedelta(minutes=20)),
    )
    rules_accepted = False
    reception = factory.LazyFunction(
        lambda: {
            "category": ReceptionCase.Category.BROADBAND,
            "description": "家里的宽带每天晚上八点以后经常掉线，报修两次仍未解决。",
            "account": "02012345678",
            "raised_with_10086": True,
            "ticket_number": "GD20261101001",
            "contact_mode": ReceptionCase.ContactMode.ONSITE,
        }
    )


class OfficerApplicationFactory(factory.Factory):
    class Meta:
        model = OfficerApplication

    activity = factory.SubFactory(ActivityFactory, kind=Activity.Kind.OFFICER)
    name = "李娜"
    phone = factory.Sequence(lambda n: f"137{n:08d}")
    birth_year = factory.LazyFunction(lambda: timezone.localdate().year - 30)
    region = factory.LazyAttribute(lambda o: city(o.city))
    occupation = OfficerApplication.Occupation.EMPLOYEE
    participation = OfficerApplication.Participation.EITHER
    motivation = (
        "我使用中国移动的5G和宽带业务十多年了，希望把真实的使用感受反馈给运营商，"
        "帮助改进网络质量和服务体验。"
    )
    code_accepted = True

    class Params:
        city = "北京"

    @classmethod
    def _create(cls, model_class, **kwargs):
        OfficerQuota.objects.get_or_create(
            activity=kwargs["activity"], region=kwargs["region"], defaults={"places": 20}
        )
        return services.application_submit(**kwargs)


# --- Feedback ---------------------------------------------------------------------------


class ModeratorFactory(UserFactory):
    """Staff with only the feedback.moderate_feedback permission (not a superuser)."""

    is_staff = True
    scope = _scope()

    @factory.post_generation
    def moderate_permission(obj, create, extracted, **kwargs):
        if create:
            from django.contrib.auth.models import Permission

            permission = Permission.objects.get(
                codename="moderate_feedback", content_type__app_label="feedback"
            )
            obj.user_permissions.add(permission)


class FeedbackFactory(factory.django.DjangoModelFactory):
    """A stored feedback row; tests of behaviour go through feedback.services instead."""

    class Meta:
        model = Feedback

    reference = factory.Sequence(lambda n: f"T{n:07d}")
    theme = factory.SubFactory(ThemeFactory)
    kind = Feedback.Kind.SUGGESTION
    overall_score = 8
    recommend_score = 8
    comment = "营业厅排队时间有点长，希望增加自助终端。"
    public_comment = factory.LazyAttribute(lambda f: mask_personal_data(f.comment))
    state = Feedback.State.PUBLISHED
    # The activity's region, as feedback_submit places it.
    region = factory.LazyAttribute(
        lambda f: f.activity.region if getattr(f, "activity", None) else None
    )


class ReplyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reply

    feedback = factory.SubFactory(FeedbackFactory)
    kind = Reply.Kind.OFFICIAL
    body = "感谢您的建议，我们已增加两台自助终端。"


class ReplyTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReplyTemplate

    theme = factory.SubFactory(ThemeFactory)
    title = factory.Sequence(lambda n: f"模板{n}")
    body = "您好，感谢您的反馈，我们已安排专人跟进。"


# --- Staff roles (groups created by feedback/migrations/0002_dashboard_roles.py) ----------


def _role_group(name: str):
    @factory.post_generation
    def add_group(obj, create, extracted, **kwargs):
        from django.contrib.auth.models import Group

        if create:
            obj.groups.add(Group.objects.get(name=name))

    return add_group


class CampaignManagerFactory(UserFactory):
    is_staff = True
    role_group = _role_group("活动管理员")
    scope = _scope()


class ModeratorRoleFactory(UserFactory):
    is_staff = True
    role_group = _role_group("审核员")
    scope = _scope()


class AnalystFactory(UserFactory):
    is_staff = True
    role_group = _role_group("数据分析员")
    scope = _scope()


def grant_personal_data(user):
    """Give `user` campaigns.view_personal_data and return it afresh (permission cache)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    user.user_permissions.add(
        Permission.objects.get(codename="view_personal_data", content_type__app_label="campaigns")
    )
    return get_user_model().objects.get(pk=user.pk)


# --- The officer programme -------------------------------------------------------------


class OfficerFactory(OfficerApplicationFactory):
    """An accepted application: a service experience officer."""

    @classmethod
    def _create(cls, model_class, **kwargs):
        application = super()._create(model_class, **kwargs)
        return services.application_review(
            application=application, reviewer=None, status=OfficerApplication.Status.ACCEPTED,
            reason="符合条件",
        )


class ExperienceTaskFactory(factory.django.DjangoModelFactory):
    """A published task, open now for a week, for every officer of its programme."""

    class Meta:
        model = ExperienceTask

    programme = factory.SubFactory(ActivityFactory, kind=Activity.Kind.OFFICER)
    title = factory.Sequence(lambda n: f"地铁内5G上网体验{n}")
    theme = factory.SubFactory(ThemeFactory, campaign=factory.SelfAttribute("..programme.campaign"))
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    instructions = "早高峰时段在地铁车厢内测试视频通话和网页加载，记录卡顿情况。"
    dimensions = ["score_network", "score_usability"]
    points = 10
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def cities(obj, create, extracted, **kwargs):
        """cities=["上海"]: the task's audience cities, by name."""
        if create and extracted:
            obj.regions.set([city(name) for name in extracted])
