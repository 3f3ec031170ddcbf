"""Every read the feedback pages and the staff queue need (ratings on activity pages reach
the campaign templates through `feedback_tags`).

Each list runs a fixed number of queries whatever the number of rows.
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Substr
from django.shortcuts import get_object_or_404

from campaigns.clock import overdue_q
from campaigns.models import Activity, Campaign, Region, Theme
from campaigns.refcodes import normalize_code
from campaigns.regions import Scope, region_q

from .models import Feedback, Reply, ReplyTemplate
from .scoring import COUNTED, DETRACTORS, PROMOTERS, SCORE_BANDS, nps

# --- Public -----------------------------------------------------------------------------


def _official_replies() -> Prefetch:
    return Prefetch(
        "replies",
        queryset=Reply.objects.filter(kind=Reply.Kind.OFFICIAL).order_by("created_at", "id"),
        to_attr="official_replies",
    )


def published_feedback(*, activity: Activity | None = None, theme: Theme | None = None):
    """The wall: published feedback, newest first, with what each card shows."""
    feedback = Feedback.objects.filter(state=Feedback.State.PUBLISHED)
    if activity is not None:
        feedback = feedback.filter(activity=activity)
    if theme is not None:
        feedback = feedback.filter(theme=theme)
    return feedback.select_related("activity", "theme", "theme_item").prefetch_related(
        _official_replies()
    )


def wall_activities() -> QuerySet[Activity]:
    return Activity.objects.filter(is_published=True).order_by("order", "id")


def wall_themes(campaign: Campaign | None) -> QuerySet[Theme]:
    return Theme.objects.filter(campaign=campaign) if campaign else Theme.objects.none()


def with_rating_stats(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """Annotate `rating_avg` and `rating_count` in the same query (subqueries, no joins)."""
    counted = Feedback.objects.filter(COUNTED, activity=OuterRef("pk")).order_by()
    per_activity = counted.values("activity")
    return activities.annotate(
        rating_avg=Subquery(per_activity.annotate(avg=Avg("overall_score")).values("avg")[:1]),
        rating_count=Coalesce(
            Subquery(per_activity.annotate(n=Count("pk")).values("n")[:1]),
            Value(0),
            output_field=IntegerField(),
        ),
    )


def activity_rating(activity: Activity) -> tuple[float | None, int]:
    """(average overall satisfaction, number of counted ratings) of one activity."""
    row = Feedback.objects.filter(COUNTED, activity=activity).aggregate(
        avg=Avg("overall_score"), n=Count("pk")
    )
    return row["avg"], row["n"]


def _followed_feedback() -> QuerySet[Feedback]:
    """Feedback as its author follows it: what it is about and the official replies."""
    return Feedback.objects.select_related("activity", "theme", "theme_item").prefetch_related(
        _official_replies()
    )


def status_lookup(*, reference: str, phone: str) -> Feedback | None:
    """The feedback a person may follow: reference plus the phone they left (if any)."""
    feedback = _followed_feedback().filter(reference=normalize_code(reference)).first()
    if feedback is None or feedback.phone != phone:
        return None
    return feedback


def feedback_for_phone(phone: str) -> list[Feedback]:
    """Feedback that left this number (我的), newest first, with its official replies."""
    return list(_followed_feedback().filter(phone=phone).order_by("-created_at", "-id"))


def feedback_for_signup(signup) -> list[Feedback]:
    """A verified participant's feedback, shown on their self-service page."""
    return list(_followed_feedback().filter(signup=signup).order_by("created_at"))


# --- The 48-hour commitment -------------------------------------------------------------


@dataclass
class CommitmentRow:
    theme: Theme | None  # None: all themes (or, per province, unused)
    opened: int
    on_time: int
    late: int
    overdue: int
    pending: int
    region: str = ""  # per province: its name ("" for the national team's own cases)

    @property
    def decided(self) -> int:
        """Cases whose outcome is known: answered (in time or late) or already overdue."""
        return self.on_time + self.late + self.overdue

    @property
    def share(self) -> float | None:
        return self.on_time / self.decided if self.decided else None

    @property
    def percent(self) -> int | None:
        return None if self.share is None else round(self.share * 100)


def _commitment_counts(now: datetime.datetime) -> dict:
    """How cases stand against the first-reply deadline at `now` (one definition for the
    scoreboard, its headline on the home page, and the dashboard's share)."""
    return {
        "opened": Count("pk"),
        "on_time": Count("pk", filter=Q(first_replied_at__lte=F("reply_due_at"))),
        "late": Count("pk", filter=Q(first_replied_at__gt=F("reply_due_at"))),
        "overdue": Count("pk", filter=overdue_q(Feedback, now)),
        "pending": Count("pk", filter=Q(first_replied_at__isnull=True, reply_due_at__gt=now)),
    }


def commitment_headline(*, now: datetime.datetime) -> CommitmentRow:
    """All cases together, in one query: the figure the home page and the footer show."""
    totals = Feedback.objects.filter(reply_due_at__isnull=False).aggregate(
        **_commitment_counts(now)
    )
    return CommitmentRow(theme=None, **totals)


def commitment_scoreboard(
    *, now: datetime.datetime, campaign: Campaign | None
) -> list[CommitmentRow]:
    """Share of cases first answered within the deadline, per theme, plus the total row.

    Every case counts, whatever its moderation state: the staff queue and this page read the
    same rows, and hiding or rejecting a complaint does not take it out of the count.
    """
    counts = {
        row["theme"]: row
        for row in Feedback.objects.filter(reply_due_at__isnull=False)
        .order_by()
        .values("theme")
        .annotate(**_commitment_counts(now))
    }
    themes = list(wall_themes(campaign))
    missing = counts.keys() - {theme.pk for theme in themes}
    if missing:  # cases filed under another campaign's themes still count
        themes += list(Theme.objects.filter(pk__in=missing))
    keys = ("opened", "on_time", "late", "overdue", "pending")
    rows = [
        CommitmentRow(theme=theme, **{k: counts.get(theme.pk, {}).get(k, 0) for k in keys})
        for theme in themes
    ]
    total = CommitmentRow(theme=None, **{k: sum(getattr(r, k) for r in rows) for k in keys})
    return [*rows, total]


def commitment_by_province(*, now: datetime.datetime) -> list[CommitmentRow]:
    """The same counts per province (two queries), best share first; cases of no province
    (national) last."""
    keys = ("opened", "on_time", "late", "overdue", "pending")
    rows = (Feedback.objects.filter(reply_due_at__isnull=False)
            .annotate(province=Substr(Coalesce("region", Value("")), 1, 2))
            .order_by().values("province").annotate(**_commitment_counts(now)))
    names = {region.code[:2]: str(region)
             for region in Region.objects.filter(level=Region.Level.PROVINCE)}
    table = [CommitmentRow(theme=None, region=names.get(row["province"], ""),
                           **{k: row[k] for k in keys}) for row in rows]
    return sorted(table, key=lambda r: (not r.region, r.share is None, -(r.share or 0),
                                        r.region))


@dataclass
class SatisfactionRow:
    theme: Theme | None  # None: all themes
    ratings: int
    average: float | None
    promoters: int  # recommendation 9–10
    detractors: int  # recommendation 0–6

    @property
    def nps(self) -> int | None:
        return nps(promoters=self.promoters, detractors=self.detractors, ratings=self.ratings)


def satisfaction_by_theme(*, campaign: Campaign | None) -> list[SatisfactionRow]:
    """Average overall satisfaction and NPS per theme and in total, from every counted rating."""
    themes = list(wall_themes(campaign))
    per_theme = {
        row["theme"]: row
        for row in Feedback.objects.filter(COUNTED, theme__in=themes)
        .order_by()
        .values("theme")
        .annotate(
            ratings=Count("pk"),
            total=Sum("overall_score"),
            promoters=Count("pk", filter=PROMOTERS),
            detractors=Count("pk", filter=DETRACTORS),
        )
    }
    rows, sums = [], {"ratings": 0, "total": 0, "promoters": 0, "detractors": 0}
    for theme in themes:
        counts = per_theme.get(theme.pk, {})
        for key in sums:
            sums[key] += counts.get(key) or 0
        rows.append(_satisfaction_row(theme, counts))
    rows.append(_satisfaction_row(None, sums))
    return rows


def _satisfaction_row(theme, counts) -> SatisfactionRow:
    ratings = counts.get("ratings") or 0
    return SatisfactionRow(
        theme=theme,
        ratings=ratings,
        average=(counts.get("total") or 0) / ratings if ratings else None,
        promoters=counts.get("promoters") or 0,
        detractors=counts.get("detractors") or 0,
    )


# --- Staff ------------------------------------------------------------------------------


def open_cases() -> Q:
    return Q(reply_due_at__isnull=False, first_replied_at__isnull=True, closed_at__isnull=True)


def overdue_feedback_q(now: datetime.datetime) -> Q:
    """Open cases past their first-reply deadline (the rule of campaigns.clock)."""
    return open_cases() & overdue_q(Feedback, now)


def overdue_cases(*, now: datetime.datetime) -> QuerySet[Feedback]:
    return (
        Feedback.objects.filter(overdue_feedback_q(now))
        .select_related("theme", "activity")
        .order_by("reply_due_at", "id")
    )


def moderation_queue(
    *,
    now: datetime.datetime,
    theme: Theme | None = None,
    scope: Scope,
    activity: Activity | None = None,
    region: Region | None = None,
    kind: str = "",
    band: str = "",
    state: str = "",
    case: str = "",
) -> QuerySet[Feedback]:
    """Most urgent first: open cases by deadline (overdue first), then pending, then the rest;
    only feedback in the staff member's `scope`."""
    feedback = Feedback.objects.filter(scope.q("region")).select_related(
        "activity", "theme", "theme_item", "region"
    )
    if theme is not None:
        feedback = feedback.filter(theme=theme)
    if activity is not None:
        feedback = feedback.filter(activity=activity)
    if region is not None:
        feedback = feedback.filter(region_q(region.code, "region"))
    if kind:
        feedback = feedback.filter(kind=kind)
    if band in SCORE_BANDS:
        low, high = SCORE_BANDS[band]
        feedback = feedback.filter(overall_score__gte=low, overall_score__lte=high)
    if state:
        feedback = feedback.filter(state=state)
    if case == "open":
        feedback = feedback.filter(open_cases())
    elif case == "overdue":
        feedback = feedback.filter(overdue_feedback_q(now))
    elif case == "replied":
        feedback = feedback.filter(
            reply_due_at__isnull=False, first_replied_at__isnull=False, closed_at__isnull=True
        )
    elif case == "closed":
        feedback = feedback.filter(closed_at__isnull=False)
    return feedback.annotate(
        urgency=Case(
            When(open_cases(), then=Value(0)),
            When(state=Feedback.State.PENDING, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("urgency", F("reply_due_at").asc(nulls_last=True), "-created_at", "-id")


def queue_counts(*, now: datetime.datetime, scope: Scope) -> dict[str, int]:
    return Feedback.objects.filter(scope.q("region")).aggregate(
        pending=Count("pk", filter=Q(state=Feedback.State.PENDING)),
        open=Count("pk", filter=open_cases()),
        overdue=Count("pk", filter=overdue_feedback_q(now)),
    )


def queue_regions(scope: Scope) -> list[Region]:
    """The scope's provinces and cities that have feedback, for the queue's filter."""
    used = Feedback.objects.filter(region__isnull=False).values("region")
    return list(scope.regions().filter(Q(pk__in=used) | Q(cities__in=used))
                .distinct().order_by("code"))


def feedback_for_staff(pk: int, *, scope: Scope) -> Feedback:
    """One feedback for a staff page; outside the scope it does not exist (404)."""
    return get_object_or_404(
        Feedback.objects.filter(scope.q("region")).select_related(
            "activity", "theme", "theme_item", "moderated_by", "region"
        ).prefetch_related(
            Prefetch("replies", queryset=Reply.objects.select_related("author")),
            "events__actor",
        ),
        pk=pk,
    )


def reply_templates_for(theme: Theme) -> QuerySet[ReplyTemplate]:
    return ReplyTemplate.objects.filter(Q(theme=theme) | Q(theme__isnull=True))
