"""Read-side queries for the public pages; each runs a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from feedback.selectors import with_rating_stats

from .models import Activity, Campaign, OfficerQuota, Session, Theme

ONLINE = "online"  # the city filter's value for online sessions


def current_campaign() -> Campaign | None:
    """The campaign the site is about: the newest one that has started (or the first ever)."""
    today = timezone.localdate()
    return (
        Campaign.objects.filter(starts_on__lte=today).order_by("-starts_on").first()
        or Campaign.objects.order_by("starts_on").first()
    )


def themes_with_items(campaign: Campaign) -> QuerySet[Theme]:
    return campaign.themes.prefetch_related("items")


def published_activities() -> QuerySet[Activity]:
    return Activity.objects.filter(is_published=True)


def upcoming_sessions(now=None) -> QuerySet[Session]:
    return Session.objects.filter(starts_at__gt=now or timezone.now()).order_by("starts_at", "id")


def _with_sessions(activities: QuerySet[Activity], *, limit: int | None = None):
    sessions = upcoming_sessions()
    if limit:
        sessions = sessions[:limit]
    return activities.prefetch_related(
        Prefetch("sessions", queryset=sessions, to_attr="upcoming"),
        Prefetch("quotas", queryset=OfficerQuota.objects.all()),
        "themes",
    )


@dataclass
class KindSection:
    kind: Activity.Kind
    activities: list[Activity]


def home_sections(campaign: Campaign, *, sessions_per_activity: int = 3) -> list[KindSection]:
    """The three activity kinds in campaign order, each with its next sessions."""
    activities = list(
        _with_sessions(
            published_activities().filter(campaign=campaign), limit=sessions_per_activity
        )
    )
    return [
        KindSection(kind=kind, activities=[a for a in activities if a.kind == kind])
        for kind in (Activity.Kind.OFFICER, Activity.Kind.OPEN_DAY, Activity.Kind.GM_RECEPTION)
    ]


def activity_list(*, kind: str = "", city: str = "") -> QuerySet[Activity]:
    activities = published_activities()
    if kind:
        activities = activities.filter(kind=kind)
    if city == ONLINE:
        activities = activities.filter(sessions__is_online=True)
    elif city:
        activities = activities.filter(Q(sessions__city=city) | Q(quotas__city=city))
    return with_rating_stats(_with_sessions(activities.distinct()))


def activity_cities() -> list[str]:
    """Cities that published activities take place in, for the list filter (one query)."""
    session_cities = Session.objects.filter(activity__is_published=True, is_online=False)
    quota_cities = OfficerQuota.objects.filter(activity__is_published=True)
    return sorted(
        set(
            session_cities.order_by().values_list("city", flat=True).union(
                quota_cities.order_by().values_list("city", flat=True)
            )
        )
    )


def activity_detail(slug: str) -> Activity:
    activity = get_object_or_404(
        with_rating_stats(published_activities().prefetch_related("themes", "quotas")),
        slug=slug,
    )
    now = timezone.now()
    sessions = list(activity.sessions.order_by("starts_at", "id"))
    for session in sessions:
        session.activity = activity  # state() reads the activity's window: no extra query
    activity.upcoming = [s for s in sessions if s.starts_at > now]
    activity.past = [s for s in sessions if s.starts_at <= now]
    return activity
