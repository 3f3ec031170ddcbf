"""Fill a database with a campaign at scale, fast: COPY on PostgreSQL, bulk inserts elsewhere.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_big \\
        .venv/bin/python bench/generate.py --activities 50 --sessions 2000 \\
        --signups 200000 --feedback 1000000

Runs `migrate` and `load_demo` first (themes, the demo activities and the staff login), then
adds generated activities, sessions, signups and feedback on top. The data is deterministic
(seeded) and consistent: `Session.places_taken` equals the places its signups hold, case
deadlines follow the 48-hour rule, replies come before or after them in realistic shares.
Prints how long each table took and the command that reproduces it.
"""

import argparse
import datetime
import os
import random
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from campaigns.models import Activity, Campaign, Session, Signup, Theme  # noqa: E402
from campaigns.refcodes import ALPHABET  # noqa: E402
from feedback.models import DIMENSIONS, Feedback  # noqa: E402

# 北京 上海 广州 深圳 杭州 成都 武汉 西安 南京 呼和浩特 (GB/T 2260): nine provinces.
CITIES = ["110100", "310100", "440100", "440300", "330100", "510100", "420100", "610100",
          "320100", "150100"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
COMMENTS = [
    "5G网速很快，地铁里看视频也不卡。",
    "营业厅排队时间有点长，希望增加自助终端。",
    "宽带晚上经常掉线，报修两次还没解决。",
    "客服态度很好，问题一次就解决了。",
    "账单看不懂，希望资费说明再清楚一些。",
    "讲解很专业，参观安排得井井有条。",
]
BATCH = 5000


def code(number: int, width: int = 8) -> str:
    """A unique reference from a number, in the reference-code alphabet."""
    base = len(ALPHABET)
    chars = []
    for _ in range(width):
        number, digit = divmod(number, base)
        chars.append(ALPHABET[digit])
    return "".join(reversed(chars))


def insert(model, columns: list[str], rows: Iterable[tuple]) -> int:
    """COPY rows into the model's table on PostgreSQL, batched INSERTs elsewhere."""
    table = model._meta.db_table
    count = 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            sql = f'COPY "{table}" ({", ".join(columns)}) FROM STDIN'
            with cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        return count
    batch = []
    for row in rows:
        batch.append(model(**dict(zip(columns, row, strict=True))))
        if len(batch) == BATCH:
            model.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    model.objects.bulk_create(batch)
    return count + len(batch)


def timed(label: str, work: Callable[[], int]) -> None:
    start = time.perf_counter()
    count = work()
    elapsed = time.perf_counter() - start
    rate = count / max(elapsed, 1e-9)
    print(f"{label:<12} {count:>10,} rows  {elapsed:7.1f} s  {rate:>10,.0f} rows/s")


def make_activities(campaign, themes, n: int, now) -> list[Activity]:
    kinds = [Activity.Kind.OPEN_DAY] * 3 + [Activity.Kind.GM_RECEPTION] * 2
    activities = [
        Activity(
            campaign=campaign,
            kind=kinds[i % len(kinds)],
            title=f"体验活动 {i + 1:03d}",
            slug=f"bench-activity-{i + 1:03d}",
            summary="批量生成的活动，用于性能测试。",
            description="参观与交流。",
            is_published=True,
            signup_opens_at=now - datetime.timedelta(days=60),
            signup_closes_at=now + datetime.timedelta(days=60),
            order=100 + i,
            region_id=CITIES[i % len(CITIES)],
        )
        for i in range(n)
    ]
    Activity.objects.bulk_create(activities)
    activities = list(Activity.objects.filter(slug__startswith="bench-activity-").order_by("id"))
    through = Activity.themes.through
    through.objects.bulk_create(
        through(activity_id=a.pk, theme_id=themes[i % len(themes)].pk)
        for i, a in enumerate(activities)
    )
    return activities


def session_rows(activities, n: int, now, rng):
    for i in range(n):
        activity = activities[i % len(activities)]
        gm = activity.kind == Activity.Kind.GM_RECEPTION
        starts = now + datetime.timedelta(days=rng.randint(-40, 40), hours=rng.randint(9, 17))
        yield (
            activity.pk,
            f"场次 {i + 1}",
            starts,
            starts + datetime.timedelta(minutes=20 if gm else 120),
            False,
            activity.region_id,
            "营业厅",
            "",
            4 if gm else 150,
            0,
            True,
            0,
            "",
        )


SESSION_COLUMNS = [
    "activity_id",
    "title",
    "starts_at",
    "ends_at",
    "is_online",
    "region_id",
    "venue",
    "online_url",
    "capacity",
    "places_taken",
    "waitlist_enabled",
    "waitlist_limit",
    "notes",
]
SIGNUP_COLUMNS = [
    "reference",
    "secret_hash",
    "name",
    "phone",
    "email",
    "language",
    "consent_at",
    "privacy_version",
    "created_at",
    "session_id",
    "status",
    "companions",
    "with_minors",
    "interests",
    "accessibility_needs",
    "rules_accepted_at",
    "confirmed_at",
    "cancelled_at",
]


def signup_rows(sessions, n: int, rng, taken: dict, now):
    """Signups spread over sessions; places taken are counted for the sessions afterwards.
    A signup is made 1–20 days before its session starts, and never after `now`."""
    statuses = (
        [Signup.Status.CONFIRMED] * 6
        + [Signup.Status.ATTENDED] * 2
        + [Signup.Status.CANCELLED, Signup.Status.NO_SHOW]
    )
    for i in range(n):
        session = sessions[i % len(sessions)]
        companions = rng.choice((0, 0, 0, 1, 2)) if session.capacity > 4 else 0
        places = 1 + companions
        status = rng.choice(statuses)
        if status != Signup.Status.CANCELLED:
            if taken.get(session.pk, 0) + places > session.capacity:
                status = Signup.Status.WAITLISTED
            else:
                taken[session.pk] = taken.get(session.pk, 0) + places
        created = session.starts_at - datetime.timedelta(days=rng.randint(1, 20))
        if created > now:  # mirrored into the past, without another draw (same data after)
            created = now - (created - now)
        yield (
            code(i),
            f"{i:064x}",
            rng.choice(SURNAMES) + "小明",
            f"139{i:08d}",
            "",
            "zh-hans",
            created,
            "2026-11",
            created,
            session.pk,
            status,
            companions,
            False,
            "",
            "",
            created,
            created if status != Signup.Status.WAITLISTED else None,
            created + datetime.timedelta(days=1) if status == Signup.Status.CANCELLED else None,
        )


FEEDBACK_COLUMNS = [
    "reference",
    "activity_id",
    "region_id",
    "theme_id",
    "kind",
    "overall_score",
    "recommend_score",
    *(field for field, _label in DIMENSIONS),
    "comment",
    "public_comment",
    "wants_reply",
    "name",
    "phone",
    "email",
    "consent_at",
    "privacy_version",
    "language",
    "state",
    "moderated_at",
    "rejection_reason",
    "reply_due_at",
    "first_replied_at",
    "closed_at",
    "outcome",
    "created_at",
    "updated_at",
    "escalation",
]


def feedback_rows(activities, themes, n: int, now, rng):
    kinds = (
        [Feedback.Kind.PRAISE] * 5 + [Feedback.Kind.SUGGESTION] * 3 + [Feedback.Kind.COMPLAINT] * 2
    )
    states = [Feedback.State.PUBLISHED] * 7 + [Feedback.State.PENDING] * 2 + [Feedback.State.HIDDEN]
    # Oldest first, as a live table grows: a day's rows share pages, as they do in production.
    ages = sorted((rng.randint(0, 90 * 24 * 60) for _ in range(n)), reverse=True)
    for i, age in enumerate(ages):
        activity = activities[i % len(activities)] if i % 4 else None
        kind = rng.choice(kinds)
        overall = rng.choices(range(1, 11), weights=(1, 1, 1, 2, 2, 3, 6, 10, 12, 12))[0]
        created = now - datetime.timedelta(minutes=age)
        is_case = kind == Feedback.Kind.COMPLAINT or overall <= 6
        due = created + datetime.timedelta(hours=48) if is_case else None
        replied = None
        if is_case and rng.random() < 0.9:
            replied = created + datetime.timedelta(hours=rng.choice((2, 10, 30, 47, 60, 90)))
            replied = replied if replied < now else None
        comment = COMMENTS[i % len(COMMENTS)]
        wants_reply = is_case and i % 3 == 0
        yield (
            f"B{code(i, 9)}",
            activity.pk if activity else None,
            # A campaign-wide rating names its city four times in five.
            activity.region_id if activity else rng.choice((*CITIES[:4], None)),
            themes[i % len(themes)].pk,
            kind,
            overall,
            rng.randint(0, 10),
            *(
                rng.choice((None, 6, 7, 8, 9, 10))
                if field != "score_organisation" or activity
                else None
                for field, _label in DIMENSIONS
            ),
            comment,
            comment,
            wants_reply,
            "王小明" if wants_reply else "",
            f"138{i:08d}" if wants_reply else "",
            "",
            created if wants_reply else None,
            "2026-11" if wants_reply else "",
            "zh-hans",
            rng.choice(states),
            created,
            "",
            due,
            replied,
            replied + datetime.timedelta(days=2) if replied and i % 2 else None,
            "已为您处理。" if replied and i % 2 else "",
            created,
            created,
            "",
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=50)
    parser.add_argument("--sessions", type=int, default=2000)
    parser.add_argument("--signups", type=int, default=200_000)
    parser.add_argument("--feedback", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2020)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    if Activity.objects.filter(slug__startswith="bench-activity-").exists():
        sys.exit("This database already has generated data: use a fresh one.")
    now = timezone.now()
    campaign = Campaign.objects.get()
    themes = list(Theme.objects.filter(campaign=campaign).order_by("order"))

    with transaction.atomic():
        activities = make_activities(campaign, themes, args.activities, now)
        bookable = [a for a in activities if a.kind != Activity.Kind.OFFICER]
        timed(
            "sessions",
            lambda: insert(
                Session, SESSION_COLUMNS, session_rows(bookable, args.sessions, now, rng)
            ),
        )
        sessions = list(
            Session.objects.filter(activity__in=bookable).only("pk", "capacity", "starts_at")
        )
        taken: dict[int, int] = {}
        timed(
            "signups",
            lambda: insert(
                Signup, SIGNUP_COLUMNS, signup_rows(sessions, args.signups, rng, taken, now)
            ),
        )
        for session in sessions:
            session.places_taken = taken.get(session.pk, 0)
        Session.objects.bulk_update(sessions, ["places_taken"], batch_size=BATCH)
        timed(
            "feedback",
            lambda: insert(
                Feedback,
                FEEDBACK_COLUMNS,
                feedback_rows(activities, themes, args.feedback, now, rng),
            ),
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print("\nReproduce: DATABASE_URL=… python bench/generate.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
