"""Build the staff dashboard's per-day rollups of feedback and signups; for cron.

    python manage.py rollup_feedback            # days changed since their build, and new days
    python manage.py rollup_feedback --rebuild  # every past day, from scratch

Run it every few minutes (see README): the dashboard reads a day from its rollup only while
the rollup is fresh, and reads the rows of any other day, so a late run costs time, never
accuracy. Safe to run at any moment and alongside the site (one transaction per day; a day
changed during its build stays stale and is built again next time). Prints counts only.
"""

from django.core.management.base import BaseCommand

from feedback.reporting.rollups import ROLLUPS, all_days, rollup_days


class Command(BaseCommand):
    help = "Build the dashboard rollups of stale and new past days (--rebuild: every day)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild", action="store_true", help="Rebuild every past day, fresh or not."
        )

    def handle(self, *args, rebuild=False, **options):
        for rollup in ROLLUPS:
            days = all_days(rollup) if rebuild else None
            result = rollup_days(rollup, days=days)
            self.stdout.write(
                f"{rollup.subject}: {result.fresh} day(s) built, {result.stale} changed during "
                f"the build (left stale), {result.rows} rollup row(s), {result.seconds:.1f} s"
            )
