"""Read-side queries for the public pages; each runs a fixed number of queries."""

import functools
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .clock import overdue_q
from .models import (
    Activity,
    AuditEntry,
    Campaign,
    OfficerApplication,
    OfficerQuota,
    ReceptionCase,
    Region,
    Session,
    Signup,
    Theme,
)
from .refcodes import hash_secret, normalize_code
from .regions import name_field

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


def with_waiting_count(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """Annotate `waiting` (people on the waiting list) in the same query, for Session.state()."""
    waiting = (
        Signup.objects.filter(session=OuterRef("pk"), status=Signup.Status.WAITLISTED)
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return sessions.annotate(waiting=Coalesce(Subquery(waiting, output_field=IntegerField()), 0))


def upcoming_sessions(now=None) -> QuerySet[Session]:
    return with_waiting_count(
        Session.objects.filter(starts_at__gt=now or timezone.now())
        .select_related("region").order_by("starts_at", "id")
    )


def _with_sessions(activities: QuerySet[Activity], *, limit: int | None = None):
    sessions = upcoming_sessions()
    if limit:
        sessions = sessions[:limit]
    return activities.prefetch_related(
        Prefetch("sessions", queryset=sessions, to_attr="upcoming"),
        Prefetch("quotas", queryset=OfficerQuota.objects.select_related("region")),
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
    """Published activities, by kind and by city (its region code, or ONLINE)."""
    activities = published_activities()
    if kind:
        activities = activities.filter(kind=kind)
    if city == ONLINE:
        activities = activities.filter(sessions__is_online=True)
    elif city:
        activities = activities.filter(Q(sessions__region=city) | Q(quotas__region=city))
    # Lazy: the feedback app's template tag adds the ratings to this same query.
    return _with_sessions(activities.distinct())


def activity_cities() -> list[tuple[str, str]]:
    """(code, name) of the cities that published activities take place in, for the list
    filter (one query)."""
    in_use = Q(sessions__activity__is_published=True, sessions__is_online=False) | Q(
        officer_quotas__activity__is_published=True
    )
    return list(
        Region.objects.filter(in_use, level=Region.Level.CITY)
        .distinct().order_by("code").values_list("code", name_field())
    )


def activity_detail(slug: str) -> Activity:
    activity = get_object_or_404(
        published_activities().prefetch_related("themes", "quotas__region"), slug=slug
    )
    now = timezone.now()
    sessions = list(with_waiting_count(
        activity.sessions.select_related("region").order_by("starts_at", "id")
    ))
    for session in sessions:
        session.activity = activity  # state() reads the activity's window: no extra query
    activity.upcoming = [s for s in sessions if s.starts_at > now]
    activity.past = [s for s in sessions if s.starts_at <= now]
    return activity


# --- Signing up -------------------------------------------------------------------------


def other_sessions_with_room(session: Session) -> list[Session]:
    """The same activity's other upcoming sessions that still take a signup (a place, or the
    waiting list): what to offer when this one has just filled."""
    activity = session.activity
    others = with_waiting_count(
        activity.sessions.exclude(pk=session.pk).filter(starts_at__gt=timezone.now())
        .order_by("starts_at", "id")
    )
    kept = []
    for other in others:
        other.activity = activity  # state() reads the activity's window: no extra query
        if other.state() in (Session.State.OPEN, Session.State.FEW_LEFT,
                             Session.State.WAITLIST):
            kept.append(other)
    return kept

def bookable_session(*, slug: str, pk: int) -> Session:
    """A session of a published open-day or GM-reception activity, with its activity and
    region (404 otherwise).

    Not annotated with the waiting count: a post does not need it, and `Session.state()`
    counts the waiting list itself only when the session is full. Read with one plain-SQL
    query built once: it runs on every signup post, and the ORM spent more of the post's CPU
    building this join (1 ms) than anything else (docs/performance.md, "Cheaper posts")."""
    sql, parts = _bookable_query(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk, slug, *Activity.SESSION_KINDS])
        row = cursor.fetchone()
    if row is None:
        raise Http404("No bookable session matches the given query.")
    session, activity, region = (_instance(row, *part) for part in parts)
    session.activity = activity
    session.region = region if session.region_id is not None else None
    return session


@functools.cache
def _bookable_query(vendor: str) -> tuple[str, list]:
    """The SQL of bookable_session and, per model, where its columns are in the row and how
    the database's values become the field's (as the ORM's compiler converts them)."""
    quote = connection.ops.quote_name
    columns, parts = [], []
    for alias, model in (("s", Session), ("a", Activity), ("r", Region)):
        fields = model._meta.concrete_fields
        converters = []
        for field in fields:
            col = field.get_col(alias)
            converters.append((col, connection.ops.get_db_converters(col)
                               + col.get_db_converters(connection)))
        parts.append((model, len(columns), [f.attname for f in fields], converters))
        columns += [f"{alias}.{quote(f.column)}" for f in fields]
    kinds = ", ".join(["%s"] * len(Activity.SESSION_KINDS))
    key = {model: quote(model._meta.pk.column) for model in (Session, Activity, Region)}
    fk = {name: quote(Session._meta.get_field(name).column) for name in ("activity", "region")}
    # Names from the models; every value is a parameter.
    sql = (
        f"SELECT {', '.join(columns)} FROM {quote(Session._meta.db_table)} s"  # noqa: S608
        f" JOIN {quote(Activity._meta.db_table)} a ON a.{key[Activity]} = s.{fk['activity']}"
        f" LEFT JOIN {quote(Region._meta.db_table)} r ON r.{key[Region]} = s.{fk['region']}"
        f" WHERE s.{key[Session]} = %s AND a.slug = %s AND a.is_published"
        f" AND a.kind IN ({kinds})"
    )
    return sql, parts


def _instance(row, model, start: int, names: list, converters: list):
    values = list(row[start:start + len(names)])
    for i, (col, functions) in enumerate(converters):
        for convert in functions:
            values[i] = convert(values[i], col, connection)
    return model.from_db(connection.alias, names, values)


def officer_activity(slug: str) -> Activity:
    return get_object_or_404(
        published_activities()
        .filter(kind=Activity.Kind.OFFICER)
        .select_related("campaign")
        .prefetch_related("quotas__region"),
        slug=slug,
    )


# --- Self-service (我的报名) --------------------------------------------------------------

SelfServiceRecord = Signup | OfficerApplication


def _signups() -> QuerySet[Signup]:
    return Signup.objects.select_related("session__activity", "session__region", "reception")


def _applications() -> QuerySet[OfficerApplication]:
    return OfficerApplication.objects.select_related("activity__campaign", "theme", "region")


def record_by_reference(reference: str) -> SelfServiceRecord | None:
    reference = normalize_code(reference)
    return (
        _signups().filter(reference=reference).first()
        or _applications().filter(reference=reference).first()
    )


def record_by_phone_and_reference(*, phone: str, reference: str) -> SelfServiceRecord | None:
    """The same None for an unknown code and for a code with another phone number."""
    reference = normalize_code(reference)
    return (
        _signups().filter(reference=reference, phone=phone).first()
        or _applications().filter(reference=reference, phone=phone).first()
    )


def record_by_token(token: str) -> SelfServiceRecord | None:
    secret_hash = hash_secret(token)
    return (
        _signups().filter(secret_hash=secret_hash).first()
        or _applications().filter(secret_hash=secret_hash).first()
    )


def signup_video_link(reference: str) -> str | None:
    """The meeting link of a confirmed online GM-reception booking by video, until the slot
    ends (the short link in its text message: /v/<reference>)."""
    signup = (
        _signups().filter(
            reference=normalize_code(reference), status=Signup.Status.CONFIRMED,
            session__is_online=True, session__ends_at__gt=timezone.now(),
            reception__contact_mode=ReceptionCase.ContactMode.VIDEO,
        ).exclude(session__online_url="").first()
    )
    return signup.session.online_url if signup else None


@dataclass
class NumberRecords:
    """Everything a mobile number signed up for or applied to (我的), newest first."""

    signups: list[Signup]
    applications: list[OfficerApplication]


def records_for_phone(phone: str) -> NumberRecords:
    return NumberRecords(
        signups=list(_signups().filter(phone=phone, erased_at=None)
                     .order_by("-session__starts_at", "-id")),
        applications=list(_applications().filter(phone=phone, erased_at=None)
                          .order_by("-created_at", "-id")),
    )


# --- Staff ------------------------------------------------------------------------------


def quota_usage(activity_ids) -> dict[tuple[int, str], tuple[int, int]]:
    """(activity id, city code) → (accepted, places) for the officer reviewer (two
    queries)."""
    rows = (
        OfficerApplication.objects.filter(
            activity_id__in=activity_ids, status=OfficerApplication.Status.ACCEPTED
        )
        .values("activity_id", "region")
        .annotate(n=Count("pk"))
        .order_by()
    )
    accepted = {(row["activity_id"], row["region"]): row["n"] for row in rows}
    return {
        (q.activity_id, q.region_id): (accepted.get((q.activity_id, q.region_id), 0), q.places)
        for q in OfficerQuota.objects.filter(activity_id__in=activity_ids)
    }


def overdue_cases(now=None) -> QuerySet[ReceptionCase]:
    return ReceptionCase.objects.filter(overdue_q(ReceptionCase, now or timezone.now()))


def access_log_users():
    """Staff who appear in the access log, for its filter."""
    return get_user_model().objects.filter(
        pk__in=AuditEntry.objects.filter(action__in=AuditEntry.ACCESS_ACTIONS)
        .values("actor")
    ).order_by("username")


def access_log(*, user=None, date_from=None, date_to=None) -> QuerySet[AuditEntry]:
    """Who saw, searched or exported personal data, newest first (dates: local days)."""
    entries = AuditEntry.objects.filter(action__in=AuditEntry.ACCESS_ACTIONS)
    if user is not None:
        entries = entries.filter(actor=user)
    if date_from:
        entries = entries.filter(created_at__date__gte=date_from)
    if date_to:
        entries = entries.filter(created_at__date__lte=date_to)
    return entries.select_related("actor", "content_type").order_by("-created_at", "-id")
