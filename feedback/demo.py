"""Demo feedback for the campaign demo (see shared/CONTENT.md).

`load_feedback_demo()` is idempotent: rows are found by their reference (or theme and title
for reply templates) and updated in place, times stay relative to now, and each demo row's
replies and audit trail are rebuilt, so a second run leaves the same rows.

Rows are written directly rather than through the services because they are backdated; the
audit entries they get are the ones the services would have written.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from campaigns.clock import reply_due_at
from campaigns.masking import mask_personal_data
from campaigns.models import Activity, Theme, ThemeItem
from campaigns.regions import city_named

from .models import DIMENSIONS, Feedback, FeedbackEvent, Reply, ReplyTemplate
from .scoring import opens_case

PRIVACY_VERSION = "2026-11"
PAST_SESSION_ACTIVITY = "5g-network-brain"  # its 往期场次 was 10 days ago

REPLY_TEMPLATES = [
    (
        "you-network",
        "网络问题 · 已安排测试",
        "您好，感谢您的反馈。我们已将您反映的网络问题转交网络优化中心，工程师将在3个工作日内"
        "联系您并上门测试，7个工作日内给出解决方案。",
    ),
    (
        "you-product",
        "产品问题 · 已转产品团队",
        "您好，感谢您的反馈。您的意见已转交产品团队，我们会在下一版本中评估改进，并及时告知您进展。",
    ),
    (
        "you-service",
        "服务问题 · 致歉与改进",
        "您好，非常抱歉给您带来不好的体验。我们已核实情况并对相关服务人员进行了辅导，"
        "后续将持续改进。如仍有问题请随时联系我们。",
    ),
    (
        None,
        "感谢表扬",
        "感谢您的认可和鼓励！我们会继续用“专心、精心、爱心”的工作，为您提供更好的服务。",
    ),
]


@dataclass
class DemoReply:
    hours_after: float  # after the feedback was submitted
    body: str
    kind: str = Reply.Kind.OFFICIAL


@dataclass
class DemoFeedback:
    reference: str
    theme: str
    kind: str
    overall: int
    recommend: int
    comment: str
    hours_ago: float
    activity: str | None = None
    city: str = ""  # without an activity: the city the customer chose ("" none)
    item: str | None = None
    scores: dict = field(default_factory=dict)
    name: str = ""
    phone: str = ""
    email: str = ""
    state: str = Feedback.State.PUBLISHED
    moderated_after: float = 2
    rejection_reason: str = ""
    replies: tuple[DemoReply, ...] = ()
    closed_after: float | None = None
    outcome: str = ""


PAST = 9 * 24  # the day after the past session

FEEDBACK = [
    DemoFeedback(
        "DEMA2345",
        "you-network",
        Feedback.Kind.PRAISE,
        10,
        10,
        "讲解很专业，第一次看到网络运营中心的大屏，工程师耐心回答了我关于5G基站的所有问题。",
        PAST,
        activity=PAST_SESSION_ACTIVITY,
        item="5G网络",
        scores={"score_organisation": 10, "score_expertise": 10, "score_attitude": 10},
        name="刘芳",
        phone="13900001111",
        replies=(DemoReply(5, "感谢您的认可！欢迎继续关注“走进移动”的其他场次。"),),
    ),
    DemoFeedback(
        "DEMB2345",
        "you-network",
        Feedback.Kind.SUGGESTION,
        8,
        7,
        "参观时间有点短，希望下次能多留些时间提问，也可以增加基站设备的实物讲解。",
        PAST - 1,
        activity=PAST_SESSION_ACTIVITY,
        scores={"score_organisation": 7, "score_expertise": 9},
        replies=(DemoReply(20, "感谢建议！下一期起参观时间延长到150分钟，并增设问答环节。"),),
    ),
    DemoFeedback(
        "DEMC2345",
        "you-network",
        Feedback.Kind.COMPLAINT,
        5,
        4,
        "集合地点指引不清楚，在园区里绕了二十分钟才找到入口，差点被取消名额。"
        "联系电话13812345678，希望改进。",
        PAST - 2,
        activity=PAST_SESSION_ACTIVITY,
        scores={"score_organisation": 3, "score_efficiency": 4},
        name="陈建国",
        phone="13812345678",
        email="chen.jg@example.com",
        replies=(
            DemoReply(3, "已联系园区物业，核实入口指示牌被遮挡。", Reply.Kind.NOTE),
            DemoReply(
                6,
                "非常抱歉给您带来不便。我们已在园区东门和停车场增设指示牌，"
                "并在报名成功短信中附上入口地图。",
            ),
        ),
        closed_after=30,
        outcome="已增设指示牌，报名短信附入口地图；已电话回访客户，客户表示满意。",
    ),
    DemoFeedback(
        "DEMD2345",
        "you-network",
        Feedback.Kind.SUGGESTION,
        6,
        6,
        "内容太专业了，带父母一起去，老人基本听不懂，希望有通俗一点的讲解。",
        PAST - 3,
        activity=PAST_SESSION_ACTIVITY,
        scores={"score_organisation": 6, "score_expertise": 8},
        replies=(DemoReply(30, "感谢反馈！我们将为长辈准备通俗版讲解和大字版资料。"),),
    ),
    DemoFeedback(
        "DEME2345",
        "you-network",
        Feedback.Kind.COMPLAINT,
        3,
        2,
        "家里千兆宽带每天晚上八点以后经常掉线，已经报修两次都没有解决，身份证110101199003077777"
        "办理的宽带，请尽快处理。",
        60,
        item="千兆宽带",
        scores={"score_network": 2, "score_resolution": 1},
        name="张伟",
        phone="13700002222",
        state=Feedback.State.PENDING,
        city="武汉",
    ),
    DemoFeedback(
        "DEMF2345",
        "you-service",
        Feedback.Kind.PRAISE,
        9,
        9,
        "5G视频客服很方便，客服手把手教我设置了副卡，不用跑营业厅了。",
        72,
        item="5G视频客服",
        scores={"score_attitude": 10, "score_efficiency": 9},
        name="李娜",
        city="广州",
    ),
    DemoFeedback(
        "DEMG2345",
        "you-service",
        Feedback.Kind.SUGGESTION,
        8,
        7,
        "新版账单清楚多了，希望能把流量明细按天显示，再标出套餐外费用。",
        120,
        item="新版客户化账单",
        scores={"score_billing": 8},
        replies=(DemoReply(10, "感谢建议！按天流量明细将于下月在App账单中上线。"),),
        city="上海",
    ),
    DemoFeedback(
        "DEMH2345",
        "you-product",
        Feedback.Kind.COMPLAINT,
        4,
        3,
        "魔百和开机广告太长，而且遥控器经常没反应，联系我请发邮件 wang.lei@example.com。",
        20,
        item="魔百和",
        scores={"score_usability": 3},
        name="王磊",
        phone="13600003333",
        email="wang.lei@example.com",
        state=Feedback.State.PENDING,
        city="武汉",
    ),
    DemoFeedback(
        "DEMJ2345",
        "you-service",
        Feedback.Kind.COMPLAINT,
        2,
        0,
        "打10086转人工等了很久，智能客服一直听不懂我的问题。",
        200,
        item="10086智能服务",
        scores={"score_efficiency": 2, "score_resolution": 3},
        replies=(
            DemoReply(
                55, "非常抱歉回复晚了。我们已优化智能客服的转人工规则，说“转人工”即可直接排队。"
            ),
        ),
        city="广州",
    ),
    DemoFeedback(
        "DEMK2345",
        "you-product",
        Feedback.Kind.PRAISE,
        10,
        9,
        "和彩云自动备份很好用，换手机后照片一张没丢。",
        96,
        item="和彩云",
        city="杭州",
    ),
    DemoFeedback(
        "DEML2345",
        "you-product",
        Feedback.Kind.SUGGESTION,
        7,
        5,
        "加微信领免费流量，点击链接马上领取！",
        30,
        state=Feedback.State.REJECTED,
        rejection_reason="广告信息，与活动无关",
        city="宜昌",
    ),
]


@transaction.atomic
def load_feedback_demo(*, now: datetime.datetime | None = None) -> int:
    """Create or refresh the demo feedback; returns the number of demo feedback rows."""
    now = now or timezone.now()
    staff = get_user_model().objects.filter(is_staff=True).order_by("pk").first()
    themes = {theme.slug: theme for theme in Theme.objects.filter(slug__in=_theme_slugs())}
    if len(themes) < 3:
        return 0  # the campaign demo has not been loaded

    for order, (theme_slug, title, body) in enumerate(REPLY_TEMPLATES):
        ReplyTemplate.objects.update_or_create(
            theme=themes.get(theme_slug) if theme_slug else None,
            title=title,
            defaults={"body": body, "order": order},
        )

    for spec in FEEDBACK:
        _load_one(spec, themes=themes, staff=staff, now=now)
    return len(FEEDBACK)


def _theme_slugs():
    return {spec.theme for spec in FEEDBACK}


def _load_one(spec: DemoFeedback, *, themes, staff, now) -> Feedback:
    created = now - datetime.timedelta(hours=spec.hours_ago)
    theme = themes[spec.theme]
    wants_reply = bool(spec.phone)
    is_case = opens_case(kind=spec.kind, overall_score=spec.overall)
    official = [r for r in spec.replies if r.kind == Reply.Kind.OFFICIAL]
    first_reply = created + datetime.timedelta(hours=official[0].hours_after) if official else None
    moderated = spec.state != Feedback.State.PENDING
    moderated_at = created + datetime.timedelta(hours=spec.moderated_after) if moderated else None
    closed_at = created + datetime.timedelta(hours=spec.closed_after) if spec.closed_after else None
    scores = dict.fromkeys(_dimension_names())
    scores.update(spec.scores)
    activity = Activity.objects.get(slug=spec.activity) if spec.activity else None
    feedback, _ = Feedback.objects.update_or_create(
        reference=spec.reference,
        defaults={
            "activity": activity,
            "region": activity.region if activity else city_named(spec.city) if spec.city else None,
            "theme": theme,
            "theme_item": ThemeItem.objects.filter(theme=theme, name=spec.item).first()
            if spec.item
            else None,
            "kind": spec.kind,
            "overall_score": spec.overall,
            "recommend_score": spec.recommend,
            "comment": spec.comment,
            "public_comment": mask_personal_data(spec.comment, names=(spec.name,)),
            "wants_reply": wants_reply,
            "name": spec.name if wants_reply else "",
            "phone": spec.phone,
            "email": spec.email,
            "consent_at": created if wants_reply else None,
            "privacy_version": PRIVACY_VERSION if wants_reply else "",
            "state": spec.state,
            "moderated_by": staff if moderated else None,
            "moderated_at": moderated_at,
            "rejection_reason": spec.rejection_reason,
            "reply_due_at": reply_due_at(created) if is_case else None,
            "first_replied_at": first_reply,
            "closed_at": closed_at,
            "outcome": spec.outcome,
            "created_at": created,
            **scores,
        },
    )

    # Replies and the audit trail, rebuilt so that a second run gives the same rows.
    feedback.replies.all().delete()
    feedback.events.all().delete()
    events = [
        FeedbackEvent(
            feedback=feedback,
            action=FeedbackEvent.Action.SUBMITTED,
            to_state="pending",
            created_at=created,
        )
    ]
    if moderated:
        action = {
            Feedback.State.PUBLISHED: FeedbackEvent.Action.PUBLISHED,
            Feedback.State.REJECTED: FeedbackEvent.Action.REJECTED,
            Feedback.State.HIDDEN: FeedbackEvent.Action.HIDDEN,
        }[spec.state]
        events.append(
            FeedbackEvent(
                feedback=feedback,
                actor=staff,
                action=action,
                from_state="pending",
                to_state=spec.state,
                reason=spec.rejection_reason,
                created_at=moderated_at,
            )
        )
    status = "open"
    for reply in spec.replies:
        at = created + datetime.timedelta(hours=reply.hours_after)
        Reply.objects.create(
            feedback=feedback, kind=reply.kind, author=staff, body=reply.body, created_at=at
        )
        is_official = reply.kind == Reply.Kind.OFFICIAL
        new_status = "replied" if is_official else status
        events.append(
            FeedbackEvent(
                feedback=feedback,
                actor=staff,
                action=FeedbackEvent.Action.REPLIED if is_official else FeedbackEvent.Action.NOTED,
                from_state=status if is_case else "",
                to_state=new_status if is_case else "",
                created_at=at,
            )
        )
        status = new_status
    if closed_at:
        events.append(
            FeedbackEvent(
                feedback=feedback,
                actor=staff,
                action=FeedbackEvent.Action.CLOSED,
                from_state=status,
                to_state="closed",
                reason=spec.outcome,
                created_at=closed_at,
            )
        )
    FeedbackEvent.objects.bulk_create(sorted(events, key=lambda e: e.created_at))
    return feedback


def _dimension_names():
    return [name for name, _label in DIMENSIONS]
