"""Demo data for the campaign, from the seed article and shared/CONTENT.md.

`load_demo()` is idempotent: every row is found by a natural key and updated in place, so a
second run leaves the same data (with dates moved along to stay relative to today).

Places taken come from real signups made through the signup services (never by setting the
counter): each demo person has a fixed phone number, and a person who already has a signup
for a session is not signed up again.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from . import services
from .models import (
    Activity,
    Campaign,
    OfficerApplication,
    OfficerQuota,
    ReceptionCase,
    Session,
    Signup,
    StaffScope,
    Theme,
    ThemeItem,
)
from .regions import city_named

CAMPAIGN_INTRO = (
    "在5G开篇之时，中国移动启动“优质服务体验季”，践行“客户为根、服务为本”理念，"
    "将“心级服务，优+体验”分为“优+网络”“优+产品”“优+服务”三个主题，"
    "开展“我是服务体验官”“走进移动”“总经理接待日”三类线上+线下相结合的客户互动活动，"
    "为客户提供美好的数字化服务体验。"
)
RETIRED_THEME_ITEMS = {"you-product": ["5G行业应用"]}  # now 5G机器视觉, 无人天车, 港机远控
CAMPAIGN_PLEDGE = "50万员工将通过“专心、精心、爱心”的工作，为客户提供“舒心、贴心、暖心”的服务。"

# The English texts staff would type in the admin's English fields. Some are left out on
# purpose (an item or two, the Wuhan video reception, one task's instructions): the English
# site shows those in Chinese, marked lang="zh-Hans".
CAMPAIGN_EN = {
    "title_en": "Quality Service Experience Season",
    "slogan_en": "Service from the heart, Experience+",
    "intro_en": (
        "As the 5G era begins, China Mobile launches the Quality Service Experience Season: "
        "customers at the root, service at the heart. Three themes, Network+, Products+ and "
        "Service+, and three kinds of activity, online and on site: Be a Service Experience "
        "Officer, Visit China Mobile and General Manager Reception Day."
    ),
    "pledge_en": (
        "Our 500,000 employees work with focus, care and heart, so that our customers are "
        "served with comfort, warmth and thoughtfulness."
    ),
}
THEMES_EN = {
    "you-network": ("Network+", "Wide coverage, fast and smooth", (
        "The network is an operator's lifeline and the basis of its service: 5G and gigabit "
        "broadband with wide coverage, fast and without stalls."
    )),
    "you-product": ("Products+", "Products and apps for the digital age", (
        "Products for individuals, homes and businesses, and 5G industry applications that "
        "can be copied and scaled."
    )),
    "you-service": ("Service+", "Smart, transparent, self-service and safe", (
        "On top of quality service at 10086 and in our stores, new services for the future."
    )),
}
AUDIENCES_EN = {"个人客户": "Personal", "家庭客户": "Home", "政企客户": "Business"}
# Item names and descriptions in English; items not listed keep their Chinese name.
ITEMS_EN = {
    "5G网络": ("5G network", "Over 350,000 5G base stations; 5G in every prefecture-level city"),
    "千兆宽带": ("Gigabit broadband", "Gigabit access in every city centre, 50 million homes"),
    "视频彩铃": ("Video ringback tones", ""),
    "云游戏": ("Cloud gaming", ""),
    "和彩云": ("Caiyun cloud storage", ""),
    "魔百和": ("Mobaihe TV box", ""),
    "和家固话": ("Home landline", ""),
    "全家WIFI": ("Whole-home WIFI", ""),
    "移动云": ("China Mobile Cloud", ""),
    "云视讯": ("Cloud video conferencing", ""),
    "5G机器视觉": ("5G machine vision", "A 5G industry application ready to scale"),
    "无人天车": ("Driverless overhead cranes", "A 5G industry application ready to scale"),
    "5G视频客服": ("5G video customer service", ""),
    "新版客户化账单": ("New personalised bill", ""),
    "宽带服务透明化": ("Transparent broadband service", ""),
    "宽带自助排障": ("Broadband self-repair", ""),
    "10086智能服务": ("10086 smart service", ""),
}

THEMES = [
    (
        "you-network",
        "优+网络",
        "覆盖广、上网快、不卡顿的网络",
        "网络是运营商的生命线，也是服务的基础。围绕5G网络、千兆宽带，为客户提供覆盖广、上网快、不卡顿的网络。",
        [
            ("5G网络", "", "开通5G基站超过35万座，全国所有地级市实现5G商用"),
            ("千兆宽带", "", "地市以上城市城区100%具备千兆接入能力，覆盖5000余万户"),
        ],
    ),
    (
        "you-product",
        "优+产品",
        "契合数字化时代需求的产品和应用",
        "面向个人、家庭和政企客户推出的产品，以及可复制推广的5G行业应用。",
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
            # The 5G industry applications the seed article names, each in its own right.
            ("5G机器视觉", "政企客户", "可复制推广的5G行业应用"),
            ("无人天车", "政企客户", "可复制推广的5G行业应用"),
            ("港机远控", "政企客户", "可复制推广的5G行业应用"),
        ],
    ),
    (
        "you-service",
        "优+服务",
        "智能、透明、自助、安全的服务",
        "在保障10086、营业厅优质服务的基础上，推出面向未来的新型服务。",
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
    "请携带本人有效身份证件，入场时核验。\n"
    "机房等区域禁止拍照。\n"
    "迟到15分钟以上视为放弃名额。\n"
    "未成年人须由监护人陪同。"
)
OPEN_DAY_RULES_EN = (
    "Bring your own valid ID: it is checked at the entrance.\n"
    "No photos in the equipment rooms and similar areas.\n"
    "Arriving more than 15 minutes late gives up the place.\n"
    "Minors must come with a guardian."
)
GM_RECEPTION_EN = (
    "Each slot is 20 minutes. Tell us your issue when you book: we look into it beforehand "
    "and reply within 48 hours."
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
    waiting: int = 0  # people on the waiting list (the session must be full)
    title_en: str = ""
    venue_en: str = ""


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
    # English (campaigns/translation.py); empty: the English site shows the Chinese.
    title_en: str = ""
    summary_en: str = ""
    description_en: str = ""
    eligibility_en: str = ""
    rules_en: str = ""


def _gm_slots(prefix: str, city: str, venue: str, days: int, *, online=False, taken=0,
              prefix_en="", venue_en=""):
    """Five 20-minute slots; the first `taken` of them booked (with an issue each)."""
    times = ["14:00", "14:20", "14:40", "15:00", "15:20"]
    return tuple(
        DemoSession(
            title=f"{prefix} {start}",
            title_en=f"{prefix_en} {start}" if prefix_en else "",
            venue_en=venue_en,
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
        summary="亲身体验网络、产品和服务，监督服务质量，提出改进建议。任期一年。",
        description=(
            "服务体验官将参加网络测试、新产品试用、营业厅暗访和线上座谈，"
            "把真实感受告诉我们，帮助我们改进服务。"
        ),
        themes=("you-network", "you-product", "you-service"),
        quotas=(("北京", 30), ("上海", 30), ("广州", 20), ("杭州", 20), ("成都", 20)),
        eligibility="年满18周岁、65周岁以下，在招募城市生活或工作，愿意每月参与至少一次体验活动。",
        rules="遵守服务体验官守则，对体验中接触到的未公开信息保密。录用结果将通过短信通知。",
        title_en="Be a Service Experience Officer · Recruitment",
        summary_en=(
            "Try our network, products and services yourself, keep an eye on their quality and "
            "tell us what to improve. A one-year term."
        ),
        description_en=(
            "Officers test the network, try new products, visit our stores unannounced and "
            "join online panels, and tell us honestly how it went, so that we can improve."
        ),
        eligibility_en=(
            "Aged 18 to 64, living or working in a recruiting city, and willing to take part "
            "in at least one experience a month."
        ),
        rules_en=(
            "Follow the officers' code and keep confidential what you learn that is not "
            "public. You will hear by text message whether you are accepted."
        ),
    ),
    DemoActivity(
        slug="5g-network-brain",
        kind=Activity.Kind.OPEN_DAY,
        title="探秘5G网络大脑",
        summary="走进网络运营中心，看5G网络如何被7×24小时守护。",
        description="参观网络运营中心大屏、5G基站设备展示区，与网络工程师面对面交流。",
        themes=("you-network",),
        eligibility="面向所有客户开放，每人可携带同行人不超过4人。",
        rules=OPEN_DAY_RULES,
        sessions=(
            DemoSession("第一场", 7, "09:30", 120, 30, taken=28, city="北京", venue="网络运营中心",
                        title_en="Session 1", venue_en="Network Operations Centre"),
            DemoSession("第二场", 14, "14:00", 120, 30, taken=6, city="北京", venue="网络运营中心",
                        title_en="Session 2", venue_en="Network Operations Centre"),
            DemoSession(
                "往期场次", -10, "09:30", 120, 30, taken=24, city="北京", venue="网络运营中心",
                title_en="Earlier session", venue_en="Network Operations Centre",
            ),
        ),
        title_en="Inside the 5G network's brain",
        summary_en="Step into the network operations centre that watches over 5G around the clock.",
        description_en=(
            "See the operations centre's video wall and the 5G base station showroom, and talk "
            "with network engineers face to face."
        ),
        eligibility_en="Open to every customer; each person may bring up to 4 companions.",
        rules_en=OPEN_DAY_RULES_EN,
    ),
    DemoActivity(
        slug="10086-one-day",
        kind=Activity.Kind.OPEN_DAY,
        title="10086客服一日体验",
        summary="戴上耳麦，体验一天10086客服代表的工作。",
        description="了解10086智能服务和5G视频客服，旁听真实来电（已脱敏），与客服代表交流。",
        themes=("you-service",),
        rules=OPEN_DAY_RULES,
        sessions=(
            DemoSession(
                "上午场", 5, "09:00", 180, 25, taken=25, waiting=3, city="上海", venue="客服中心",
                title_en="Morning", venue_en="Customer Service Centre",
            ),
            DemoSession("下午场", 19, "14:00", 180, 25, taken=3, city="上海", venue="客服中心",
                        title_en="Afternoon", venue_en="Customer Service Centre"),
        ),
        title_en="A day at 10086 customer service",
        summary_en="Put on a headset and spend a day as a 10086 customer service agent.",
        description_en=(
            "Discover 10086 smart service and 5G video customer service, listen in on real "
            "calls (anonymised) and talk with the agents."
        ),
        rules_en=OPEN_DAY_RULES_EN,
    ),
    DemoActivity(
        slug="data-center-open-day",
        kind=Activity.Kind.OPEN_DAY,
        title="数据中心开放日",
        summary="参观移动云数据中心，了解您的数据如何被安全存放。",
        description="参观数据中心机房（隔窗）、能耗监控中心和移动云展示区。",
        themes=("you-product", "you-network"),
        rules=OPEN_DAY_RULES,
        sessions=(
            DemoSession(
                "开放日", 10, "10:00", 150, 20, taken=4, city="呼和浩特", venue="数据中心",
                title_en="Open day", venue_en="Data Centre",
            ),
        ),
        title_en="Data centre open day",
        summary_en="Visit a China Mobile Cloud data centre and see how your data is kept safe.",
        description_en=(
            "See the machine halls (through the window), the energy monitoring centre and the "
            "China Mobile Cloud showroom."
        ),
        rules_en=OPEN_DAY_RULES_EN,
    ),
    DemoActivity(
        slug="cloud-visit-live",
        kind=Activity.Kind.OPEN_DAY,
        title="“云参观”直播",
        summary="在手机上跟随直播镜头走进5G网络和客服中心。",
        description="线上直播参观，可在评论区实时提问，报名后获取直播链接。",
        themes=("you-network", "you-service"),
        sessions=(DemoSession("直播", 3, "19:30", 60, 500, taken=137, online=True,
                              title_en="Live"),),
        title_en="Cloud visit: live tour",
        summary_en="Follow the live camera into the 5G network and the customer service centre.",
        description_en=(
            "A live online tour: ask questions in the comments as you watch. The link to the "
            "stream comes when you sign up."
        ),
    ),
    DemoActivity(
        slug="gm-reception-beijing",
        kind=Activity.Kind.GM_RECEPTION,
        title="总经理接待日 · 北京",
        summary="与分公司总经理面对面，说说您遇到的问题。",
        description="每个时段20分钟。请在预约时说明您的问题，我们会提前了解情况，48小时内首次回复。",
        themes=("you-service",),
        sessions=_gm_slots("西城", "北京", "西城区旗舰营业厅", 6, taken=2, prefix_en="Xicheng",
                           venue_en="Xicheng District flagship store"),
        title_en="General Manager Reception Day · Beijing",
        summary_en="Meet the branch's general manager face to face and tell them what went wrong.",
        description_en=GM_RECEPTION_EN,
    ),
    DemoActivity(
        slug="gm-reception-guangzhou",
        kind=Activity.Kind.GM_RECEPTION,
        title="总经理接待日 · 广州",
        summary="在天河5G智慧营业厅与总经理面对面。",
        description="每个时段20分钟。请在预约时说明您的问题，我们会提前了解情况，48小时内首次回复。",
        themes=("you-service", "you-network"),
        sessions=_gm_slots("天河", "广州", "天河5G智慧营业厅", 9, prefix_en="Tianhe",
                           venue_en="Tianhe 5G smart store"),
        title_en="General Manager Reception Day · Guangzhou",
        summary_en="Meet the general manager at the Tianhe 5G smart store.",
        description_en=GM_RECEPTION_EN,
    ),
    DemoActivity(
        slug="gm-reception-wuhan-video",
        kind=Activity.Kind.GM_RECEPTION,
        title="总经理接待日 · 武汉（视频接待）",
        summary="不用出门，通过视频与总经理沟通。",
        description="每个时段20分钟，预约成功后我们会短信发送视频会议链接。",
        themes=("you-service",),
        sessions=_gm_slots("视频", "武汉", "", 12, online=True, taken=1),
        # No English on purpose: the English site shows this one in Chinese.
    ),
]

DEMO_STAFF_USERNAME = "staff"
# Regional staff (same password): (username, scope level, region codes, role groups).
DEMO_REGIONAL_STAFF = (
    ("wuhan", StaffScope.Level.CITY, ("420100",), ("审核员", "活动管理员")),
    ("hubei", StaffScope.Level.PROVINCE, ("420000",), ("审核员", "数据分析员")),
    ("hq", StaffScope.Level.NATIONAL, (), ("审核员", "数据分析员")),
)


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
            "slogan": "心级服务，优+体验",
            "intro": CAMPAIGN_INTRO,
            "pledge": CAMPAIGN_PLEDGE,
            "starts_on": today - datetime.timedelta(days=30),
            "ends_on": today + datetime.timedelta(days=60),
            **CAMPAIGN_EN,
        },
    )
    themes = {}
    # Items an earlier demo had under other names (feedback about one keeps its theme).
    ThemeItem.objects.filter(
        theme__campaign=campaign, theme__slug__in=RETIRED_THEME_ITEMS,
        name__in=[name for names in RETIRED_THEME_ITEMS.values() for name in names],
    ).delete()
    for order, (slug, name, tagline, description, items) in enumerate(THEMES):
        name_en, tagline_en, description_en = THEMES_EN[slug]
        theme, _ = Theme.objects.update_or_create(
            campaign=campaign,
            slug=slug,
            defaults={"name": name, "tagline": tagline, "description": description, "order": order,
                      "name_en": name_en, "tagline_en": tagline_en,
                      "description_en": description_en},
        )
        for item_order, (item_name, audience, item_description) in enumerate(items):
            item_name_en, item_description_en = ITEMS_EN.get(item_name, (None, ""))
            ThemeItem.objects.update_or_create(
                theme=theme,
                name=item_name,
                defaults={
                    "audience": audience, "description": item_description, "order": item_order,
                    "name_en": item_name_en, "audience_en": AUDIENCES_EN.get(audience, ""),
                    "description_en": item_description_en,
                },
            )
        themes[slug] = theme

    staff = _ensure_staff(staff_password)
    _ensure_regional_staff(staff_password)
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
                "title_en": spec.title_en,
                "summary_en": spec.summary_en,
                "description_en": spec.description_en,
                "eligibility_en": spec.eligibility_en,
                "rules_en": spec.rules_en,
                "is_published": True,
                "signup_opens_at": opens,
                "signup_closes_at": closes,
                "order": order,
            },
        )
        activity.themes.set([themes[slug] for slug in spec.themes])
        cities = {session.city for session in spec.sessions}
        if len(cities) == 1 and "" not in cities:
            activity.region = city_named(cities.pop())  # held in one city: its company's
            activity.save(update_fields=["region"])
        for session_index, session in enumerate(spec.sessions):
            starts_at = _at(today, session.days, session.start)
            row, _ = Session.objects.update_or_create(
                activity=activity,
                title=session.title,
                defaults={
                    "starts_at": starts_at,
                    "ends_at": starts_at + datetime.timedelta(minutes=session.minutes),
                    "is_online": session.online,
                    "region": city_named(session.city) if session.city else None,
                    "venue": session.venue,
                    "title_en": session.title_en,
                    "venue_en": session.venue_en,
                    "capacity": session.capacity,
                    "waitlist_enabled": session.waitlist,
                },
            )
            phone_prefix = f"139{order:02d}{session_index:02d}"
            if spec.kind == Activity.Kind.GM_RECEPTION:
                _demo_reception(row, session, phone_prefix, staff, today)
            else:
                _demo_signups(row, session, phone_prefix, staff, today)
        for quota_order, (city, places) in enumerate(spec.quotas):
            OfficerQuota.objects.update_or_create(
                activity=activity, region=city_named(city),
                defaults={"places": places, "order": quota_order},
            )
        if spec.kind == Activity.Kind.OFFICER:
            _demo_applications(activity, staff, today)

    return campaign


DEMO_NAMES = [
    "张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强", "周婷", "吴刚",
    "徐丽", "孙涛", "马超", "朱琳", "胡军", "郭燕", "何平", "高峰", "林晓", "罗佳",
]
PARTY_SIZES = (2, 1, 3, 1, 1, 2, 4, 1, 2, 1)


def _signed_up(session: Session, phone: str) -> bool:
    return Signup.objects.filter(session=session, phone=phone).exists()


def _demo_signups(row: Session, spec: DemoSession, prefix: str, staff, today) -> None:
    """Parties adding up to `spec.taken` places, then `spec.waiting` on the waiting list."""
    # Sign up "a few days ago" so that past sessions can be filled through the service too.
    signed_up_at = min(_at(today, -3, "10:00"), row.starts_at - datetime.timedelta(days=2))
    remaining, number = spec.taken, 0
    while remaining > 0:
        size = min(PARTY_SIZES[number % len(PARTY_SIZES)], remaining)
        phone = f"{prefix}{number:04d}"
        if not _signed_up(row, phone):
            signup = services.signup_create(
                session=row, name=DEMO_NAMES[number % len(DEMO_NAMES)], phone=phone,
                companions=size - 1, rules_accepted=True,
                interests="5G基站" if number % 3 == 0 else "", now=signed_up_at,
            )
            if row.starts_at < timezone.now():
                services.signup_mark_attendance(
                    signup=signup, actor=staff, attended=number % 6 != 5, now=row.ends_at
                )
        remaining -= size
        number += 1
    for waiting in range(spec.waiting):
        phone = f"{prefix}{9000 + waiting:04d}"
        if not _signed_up(row, phone):
            services.signup_create(
                session=row, name=DEMO_NAMES[-1 - waiting], phone=phone, rules_accepted=True,
                now=signed_up_at,
            )


DEMO_ISSUES = [
    {
        "category": ReceptionCase.Category.BROADBAND,
        "description": (
            "家里千兆宽带晚上八点以后经常掉线，"
            "已经报修两次，装维师傅上门后还是没有解决。"
        ),
        "account": "01088886666",
        "raised_with_10086": True,
        "ticket_number": "BJ2026111000123",
        "contact_mode": ReceptionCase.ContactMode.ONSITE,
        "expected_outcome": "彻底解决掉线问题，并减免故障期间的宽带费。",
    },
    {
        "category": ReceptionCase.Category.BILLING,
        "description": (
            "上个月账单里多了一项10元的视频彩铃功能费，"
            "我没有订购过，希望查明原因并退费。"
        ),
        "account": "13911112222",
        "raised_with_10086": False,
        "ticket_number": "",
        "contact_mode": ReceptionCase.ContactMode.ONSITE,
        "expected_outcome": "退还费用并说明订购来源。",
    },
    {
        "category": ReceptionCase.Category.NETWORK_SIGNAL,
        "description": (
            "小区地下车库和电梯里没有5G信号，"
            "接打电话经常中断，希望尽快加装室内覆盖设备。"
        ),
        "account": "13922223333",
        "raised_with_10086": True,
        "ticket_number": "WH2026111500456",
        "contact_mode": ReceptionCase.ContactMode.VIDEO,
        "expected_outcome": "",
    },
]
DEMO_REPLY = "经核查，多收的10元为系统误开通视频彩铃所致，已为您退费并取消该功能，详情请见短信。"


def _demo_reception(row: Session, spec: DemoSession, prefix: str, staff, today) -> None:
    """GM-reception bookings: in the first activity's first slot one overdue (booked three
    days ago, no reply), in its second slot one answered in time; elsewhere fresh ones."""
    if not spec.taken:
        return
    phone = f"{prefix}0000"
    if _signed_up(row, phone):
        return
    activity_index, slot = int(prefix[3:5]), int(prefix[5:7])
    issue = DEMO_ISSUES[slot % len(DEMO_ISSUES)]
    if spec.online:
        issue = DEMO_ISSUES[2]
    booked_at = (
        _at(today, -3 + slot, "10:00")
        if activity_index == _first_reception_index()
        else timezone.now() - datetime.timedelta(hours=6)
    )
    signup = services.signup_create(
        session=row, name=DEMO_NAMES[5 + slot], phone=phone, reception=issue, now=booked_at
    )
    if activity_index == _first_reception_index() and slot == 1:
        services.reception_update(
            case=signup.reception, actor=staff, status=ReceptionCase.Status.REPLIED,
            owner=staff, internal_notes="计费系统误开通，已提交退费工单。", outcome=DEMO_REPLY,
            reason="首次答复", now=booked_at + datetime.timedelta(hours=20),
        )


def _first_reception_index() -> int:
    return next(i for i, a in enumerate(ACTIVITIES) if a.kind == Activity.Kind.GM_RECEPTION)


DEMO_APPLICATIONS = [
    ("赵子涵", "北京", OfficerApplication.Occupation.STUDENT, 2003, None, ""),
    ("钱文博", "上海", OfficerApplication.Occupation.EMPLOYEE, 1988,
     OfficerApplication.Status.ACCEPTED, "经常使用5G和云视讯，体验意愿强，予以录用。"),
    ("孙雅琪", "广州", OfficerApplication.Occupation.FREELANCE, 1995,
     OfficerApplication.Status.REJECTED, "报名理由与招募主题关联不大，本期未录用。"),
    ("李国华", "成都", OfficerApplication.Occupation.RETIRED, 1962,
     OfficerApplication.Status.RESERVE, "线下活动名额已满，列入候补。"),
    ("周敏", "北京", OfficerApplication.Occupation.EMPLOYEE, 1991,
     OfficerApplication.Status.ACCEPTED, "每天乘地铁通勤，适合参加网络测试，予以录用。"),
    ("吴磊", "上海", OfficerApplication.Occupation.SELF_EMPLOYED, 1984,
     OfficerApplication.Status.ACCEPTED, "经营小店，常办理宽带和集团业务，予以录用。"),
]
DEMO_MOTIVATION = (
    "我使用中国移动的手机和宽带业务多年，平时也帮家里老人办理业务、调试魔百和，"
    "对网络质量和营业厅服务有不少切身感受，希望作为服务体验官把真实的意见反馈出来，帮助改进服务。"
)


def _demo_applications(activity: Activity, staff, today) -> None:
    submitted_at = _at(today, -5, "20:00")
    items = list(ThemeItem.objects.filter(theme__campaign_id=activity.campaign_id)[:3])
    for number, (name, city, occupation, year, decision, reason) in enumerate(DEMO_APPLICATIONS):
        phone = f"1370000{number:04d}"
        if OfficerApplication.objects.filter(activity=activity, phone=phone).exists():
            continue
        application = services.application_submit(
            activity=activity, name=name, phone=phone, birth_year=year, region=city_named(city),
            occupation=occupation, services=items[: number + 1],
            tenure=OfficerApplication.Tenure.FROM_3_TO_10,
            participation=OfficerApplication.Participation.EITHER,
            motivation=DEMO_MOTIVATION, code_accepted=True, now=submitted_at,
        )
        if decision:
            services.application_review(
                application=application, reviewer=staff, status=decision, reason=reason,
                now=submitted_at + datetime.timedelta(days=2),
            )


def _ensure_staff(password: str):
    user, _ = get_user_model().objects.get_or_create(
        username=DEMO_STAFF_USERNAME, defaults={"email": "staff@example.com"}
    )
    user.is_staff = True
    user.is_superuser = True
    user.set_password(password)
    user.save()
    return user


def _ensure_regional_staff(password: str) -> None:
    """A Wuhan branch moderator, a Hubei provincial team member and the national team."""
    for username, level, codes, roles in DEMO_REGIONAL_STAFF:
        user, _ = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.com"}
        )
        user.is_staff = True
        user.set_password(password)
        user.save()
        user.groups.set(Group.objects.filter(name__in=roles))
        scope, _ = StaffScope.objects.update_or_create(user=user, defaults={"level": level})
        scope.regions.set(codes)
