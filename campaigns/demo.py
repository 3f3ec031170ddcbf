"""Demo data for the campaign, from the seed article and shared/CONTENT.md.

`load_demo()` is idempotent: every row is found by a natural key and updated in place, so a
second run leaves the same data (with dates moved along to stay relative to today).
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from .models import Activity, Campaign, OfficerQuota, Session, Theme, ThemeItem

CAMPAIGN_INTRO = (
    "在5G开篇之时,中国移动启动“优质服务体验季”,践行“客户为根、服务为本”理念,"
    "将“心级服务,优+体验”分为“优+网络”“优+产品”“优+服务”三个主题,"
    "开展“我是服务体验官”“走进移动”“总经理接待日”三类线上+线下相结合的客户互动活动,"
    "为客户提供美好的数字化服务体验。"
)
CAMPAIGN_PLEDGE = "50万员工将通过“专心、精心、爱心”的工作,为客户提供“舒心、贴心、暖心”的服务。"

THEMES = [
    (
        "you-network",
        "优+网络",
        "覆盖广、上网快、不卡顿的网络",
        "网络是运营商的生命线,也是服务的基础。围绕5G网络、千兆宽带,为客户提供覆盖广、上网快、不卡顿的网络。",
        [
            ("5G网络", "", "开通5G基站超过35万座,全国所有地级市实现5G商用"),
            ("千兆宽带", "", "地市以上城市城区100%具备千兆接入能力,覆盖5000余万户"),
        ],
    ),
    (
        "you-product",
        "优+产品",
        "契合数字化时代需求的产品和应用",
        "面向个人、家庭和政企客户推出的产品,以及可复制推广的5G行业应用。",
        [
            ("视频彩铃", "个人客户", ""),
            ("云游戏", "个人客户", ""),
            ("和彩云", "个人客户", ""),
            ("魔百和", "家庭客户", ""),
            ("和家固话", "家庭客户", ""),
            ("全家WIFI", "家庭客户", ""),
            ("移动云", "政企客户", ""),
            ("云视讯", "政企客户", ""),
            ("和对讲", "政企客户", ""),
            ("5G行业应用", "政企客户", "5G机器视觉、无人天车、港机远控等"),
        ],
    ),
    (
        "you-service",
        "优+服务",
        "智能、透明、自助、安全的服务",
        "在保障10086、营业厅优质服务的基础上,推出面向未来的新型服务。",
        [
            ("5G视频客服", "", ""),
            ("新版客户化账单", "", ""),
            ("宽带服务透明化", "", ""),
            ("宽带自助排障", "", ""),
            ("10086智能服务", "", ""),
        ],
    ),
]

OPEN_DAY_RULES = (
    "请携带本人有效身份证件,入场时核验。\n"
    "机房等区域禁止拍照。\n"
    "迟到15分钟以上视为放弃名额。\n"
    "未成年人须由监护人陪同。"
)


@dataclass
class DemoSession:
    title: str
    days: int  # from today; negative = past
    start: str  # "HH:MM", Asia/Shanghai
    minutes: int
    capacity: int
    taken: int = 0
    city: str = ""
    venue: str = ""
    online: bool = False
    waitlist: bool = True


@dataclass
class DemoActivity:
    slug: str
    kind: str
    title: str
    summary: str
    description: str
    themes: tuple[str, ...]
    sessions: tuple[DemoSession, ...] = ()
    quotas: tuple[tuple[str, int], ...] = ()
    eligibility: str = ""
    rules: str = ""


def _gm_slots(prefix: str, city: str, venue: str, days: int, *, online=False, taken=0):
    times = ["14:00", "14:20", "14:40", "15:00", "15:20"]
    return tuple(
        DemoSession(
            title=f"{prefix} {start}",
            days=days,
            start=start,
            minutes=20,
            capacity=1,
            taken=1 if index < taken else 0,
            city=city,
            venue=venue,
            online=online,
            waitlist=False,
        )
        for index, start in enumerate(times)
    )


ACTIVITIES = [
    DemoActivity(
        slug="service-officer-recruitment",
        kind=Activity.Kind.OFFICER,
        title="我是服务体验官 · 招募",
        summary="亲身体验网络、产品和服务,监督服务质量,提出改进建议。任期一年。",
        description=(
            "服务体验官将参加网络测试、新产品试用、营业厅暗访和线上座谈,"
            "把真实感受告诉我们,帮助我们改进服务。"
        ),
        themes=("you-network", "you-product", "you-service"),
        quotas=(("北京", 30), ("上海", 30), ("广州", 20), ("杭州", 20), ("成都", 20)),
        eligibility="年满18周岁、65周岁以下,在招募城市生活或工作,愿意每月参与至少一次体验活动。",
        rules="遵守服务体验官守则,对体验中接触到的未公开信息保密。录用结果将通过短信通知。",
    ),
    DemoActivity(
        slug="5g-network-brain",
        kind=Activity.Kind.OPEN_DAY,
        title="探秘5G网络大脑",
        summary="走进网络运营中心,看5G网络如何被7×24小时守护。",
        description="参观网络运营中心大屏、5G基站设备展示区,与网络工程师面对面交流。",
        themes=("you-network",),
        eligibility="面向所有客户开放,每人可携带同行人不超过4人。",
        rules=OPEN_DAY_RULES,
        sessions=(
            DemoSession("第一场", 7, "09:30", 120, 30, taken=28, city="北京", venue="网络运营中心"),
            DemoSession("第二场", 14, "14:00", 120, 30, taken=6, city="北京", venue="网络运营中心"),
            DemoSession("往期", -10, "09:30", 120, 30, taken=24, city="北京", venue="网络运营中心"),
        ),
    ),
    DemoActivity(
        slug="10086-one-day",
        kind=Activity.Kind.OPEN_DAY,
        title="10086客服一日体验",
        summary="戴上耳麦,体验一天10086客服代表的工作。",
        description="了解10086智能服务和5G视频客服,旁听真实来电(已脱敏),与客服代表交流。",
        themes=("you-service",),
        rules=OPEN_DAY_RULES,
        sessions=(
            DemoSession("上午场", 5, "09:00", 180, 25, taken=25, city="上海", venue="客服中心"),
            DemoSession("下午场", 19, "14:00", 180, 25, taken=3, city="上海", venue="客服中心"),
        ),
    ),
    DemoActivity(
        slug="data-center-open-day",
        kind=Activity.Kind.OPEN_DAY,
        title="数据中心开放日",
        summary="参观移动云数据中心,了解您的数据如何被安全存放。",
        description="参观数据中心机房(隔窗)、能耗监控中心和移动云展示区。",
        themes=("you-product", "you-network"),
        rules=OPEN_DAY_RULES,
        sessions=(
            DemoSession("开放日", 10, "10:00", 150, 20, taken=4, city="呼和浩特", venue="数据中心"),
        ),
    ),
    DemoActivity(
        slug="cloud-visit-live",
        kind=Activity.Kind.OPEN_DAY,
        title="“云参观”直播",
        summary="在手机上跟随直播镜头走进5G网络和客服中心。",
        description="线上直播参观,可在评论区实时提问,报名后获取直播链接。",
        themes=("you-network", "you-service"),
        sessions=(DemoSession("直播", 3, "19:30", 60, 500, taken=137, online=True),),
    ),
    DemoActivity(
        slug="gm-reception-beijing",
        kind=Activity.Kind.GM_RECEPTION,
        title="总经理接待日 · 北京",
        summary="与分公司总经理面对面,说说您遇到的问题。",
        description="每个时段20分钟。请在预约时说明您的问题,我们会提前了解情况,48小时内首次回复。",
        themes=("you-service",),
        sessions=_gm_slots("西城", "北京", "西城区旗舰营业厅", 6, taken=2),
    ),
    DemoActivity(
        slug="gm-reception-guangzhou",
        kind=Activity.Kind.GM_RECEPTION,
        title="总经理接待日 · 广州",
        summary="在天河5G智慧营业厅与总经理面对面。",
        description="每个时段20分钟。请在预约时说明您的问题,我们会提前了解情况,48小时内首次回复。",
        themes=("you-service", "you-network"),
        sessions=_gm_slots("天河", "广州", "天河5G智慧营业厅", 9),
    ),
    DemoActivity(
        slug="gm-reception-wuhan-video",
        kind=Activity.Kind.GM_RECEPTION,
        title="总经理接待日 · 武汉(视频接待)",
        summary="不用出门,通过视频与总经理沟通。",
        description="每个时段20分钟,预约成功后我们会短信发送视频会议链接。",
        themes=("you-service",),
        sessions=_gm_slots("视频", "武汉", "", 12, online=True, taken=1),
    ),
]

DEMO_STAFF_USERNAME = "staff"


def _at(today: datetime.date, days: int, hhmm: str) -> datetime.datetime:
    hour, minute = map(int, hhmm.split(":"))
    day = today + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@transaction.atomic
def load_demo(*, staff_password: str) -> Campaign:
    today = timezone.localdate()
    campaign, _ = Campaign.objects.update_or_create(
        title="优质服务体验季",
        defaults={
            "slogan": "心级服务,优+体验",
            "intro": CAMPAIGN_INTRO,
            "pledge": CAMPAIGN_PLEDGE,
            "starts_on": today - datetime.timedelta(days=30),
            "ends_on": today + datetime.timedelta(days=60),
        },
    )
    themes = {}
    for order, (slug, name, tagline, description, items) in enumerate(THEMES):
        theme, _ = Theme.objects.update_or_create(
            campaign=campaign,
            slug=slug,
            defaults={"name": name, "tagline": tagline, "description": description, "order": order},
        )
        for item_order, (item_name, audience, item_description) in enumerate(items):
            ThemeItem.objects.update_or_create(
                theme=theme,
                name=item_name,
                defaults={
                    "audience": audience,
                    "description": item_description,
                    "order": item_order,
                },
            )
        themes[slug] = theme

    opens = _at(today, -20, "09:00")
    closes = _at(today, 45, "18:00")
    for order, spec in enumerate(ACTIVITIES):
        activity, _ = Activity.objects.update_or_create(
            slug=spec.slug,
            defaults={
                "campaign": campaign,
                "kind": spec.kind,
                "title": spec.title,
                "summary": spec.summary,
                "description": spec.description,
                "eligibility": spec.eligibility,
                "rules": spec.rules,
                "is_published": True,
                "signup_opens_at": opens,
                "signup_closes_at": closes,
                "order": order,
            },
        )
        activity.themes.set([themes[slug] for slug in spec.themes])
        for session in spec.sessions:
            starts_at = _at(today, session.days, session.start)
            Session.objects.update_or_create(
                activity=activity,
                title=session.title,
                defaults={
                    "starts_at": starts_at,
                    "ends_at": starts_at + datetime.timedelta(minutes=session.minutes),
                    "is_online": session.online,
                    "city": session.city,
                    "venue": session.venue,
                    "capacity": session.capacity,
                    "places_taken": session.taken,
                    "waitlist_enabled": session.waitlist,
                },
            )
        for quota_order, (city, places) in enumerate(spec.quotas):
            OfficerQuota.objects.update_or_create(
                activity=activity, city=city, defaults={"places": places, "order": quota_order}
            )

    _ensure_staff(staff_password)
    return campaign


def _ensure_staff(password: str) -> None:
    user, _ = get_user_model().objects.get_or_create(
        username=DEMO_STAFF_USERNAME, defaults={"email": "staff@example.com"}
    )
    user.is_staff = True
    user.is_superuser = True
    user.set_password(password)
    user.save()
