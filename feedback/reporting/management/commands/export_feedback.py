"""Write the feedback report to a file, for scheduled reports (cron); the same exporter as the
dashboard's download.

    python manage.py export_feedback --format xlsx --from 2026-11-01 --to 2026-11-30 \\
        --activity 5g-brain -o /srv/reports/feedback-2026-11.xlsx

Filters: --activity (slug), --kind (activity kind), --theme (slug), --region (province or city
code), --from/--to (local dates, both included). Names and numbers are masked unless --user
names an active staff account that holds campaigns.view_personal_data; with --user, only that
account's regions are exported. The export is written to the audit log.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from campaigns.models import Activity, Region, Theme
from campaigns.regions import NATIONAL, scope_for
from feedback.reporting.exporters import FORMATS, FeedbackExporter
from feedback.reporting.filters import DashboardFilters


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value!r}") from None


class Command(BaseCommand):
    help = "Export the feedback report (CSV with BOM or XLSX) with the dashboard's filters."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=FORMATS, default="xlsx")
        parser.add_argument("--from", dest="date_from", type=_date)
        parser.add_argument("--to", dest="date_to", type=_date)
        parser.add_argument("--activity", help="activity slug")
        parser.add_argument("--kind", choices=Activity.Kind.values)
        parser.add_argument("--theme", help="theme slug")
        parser.add_argument("--region", default="",
                            help="province or city code (GB/T 2260), e.g. 420000 or 420100")
        parser.add_argument("--language", choices=["zh-hans", "en"], default="zh-hans")
        parser.add_argument("--user", help="username the export is made for (and audited as)")
        parser.add_argument("-o", "--output", required=True, help="file to write")

    def handle(self, *args, **options):
        if options["date_from"] and options["date_to"] and options["date_to"] < options[
            "date_from"
        ]:
            raise CommandError("--to is before --from")
        activity = theme = user = region = None
        if options["region"]:
            region = Region.objects.filter(pk=options["region"]).first()
            if region is None:
                raise CommandError(f"No province or city with code {options['region']!r}")
        if options["activity"]:
            activity = Activity.objects.filter(slug=options["activity"]).first()
            if activity is None:
                raise CommandError(f"No activity with slug {options['activity']!r}")
        if options["theme"]:
            theme = Theme.objects.filter(slug=options["theme"]).order_by("-pk").first()
            if theme is None:
                raise CommandError(f"No theme with slug {options['theme']!r}")
        if options["user"]:
            user = get_user_model().objects.filter(
                username=options["user"], is_active=True, is_staff=True
            ).first()
            if user is None:
                raise CommandError(f"No active staff user {options['user']!r}")
        filters = DashboardFilters(
            activity=activity,
            kind=options["kind"] or "",
            theme=theme,
            region=region,
            date_from=options["date_from"],
            date_to=options["date_to"],
            # Made for a user: only their regions; else the whole country (the operator).
            scope=scope_for(user) if user else NATIONAL,
        )
        with translation.override(options["language"]):
            exporter = FeedbackExporter(user=user, filters=filters)
            exporter.record(fmt=options["format"])
            with open(options["output"], "wb") as out:
                exporter.write(options["format"], out)
        self.stdout.write(
            f"Wrote {options['output']} ({'unmasked' if exporter.unmasked else 'masked'})"
        )
