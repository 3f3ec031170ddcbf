"""Load the demo campaign (campaigns.demo) and its feedback (feedback.demo); idempotent.

Lives in the feedback app because it loads every room: campaigns never imports feedback, and
only this command of the feedback core imports the officer programme.
"""

import secrets

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from campaigns.demo import DEMO_REGIONAL_STAFF, DEMO_STAFF_USERNAME, load_demo
from campaigns.models import StaffScope
from campaigns.sms.delivery import sms_muted
from feedback.demo import load_feedback_demo
from feedback.officers.demo import load_officers_demo

# Only ever used with DEBUG on; a production run gets a random password instead.
DEVELOPMENT_STAFF_PASSWORD = "yzfw-demo-2026"  # noqa: S105 (printed by design, DEBUG only)


class Command(BaseCommand):
    help = "Create or refresh the demo campaign, its activities and sessions, and a staff login."

    def handle(self, *args, **options):
        password = DEVELOPMENT_STAFF_PASSWORD if settings.DEBUG else secrets.token_urlsafe(12)
        # In Chinese, whatever the caller's language: the demo finds its rows by their Chinese
        # names (an item's `name` is the column of the active language) and fills English
        # columns by name.
        with translation.override(settings.LANGUAGE_CODE), sms_muted():
            campaign = load_demo(staff_password=password)
            load_feedback_demo()
            load_officers_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {campaign.title}"))
        self.stdout.write(f"Staff login: {DEMO_STAFF_USERNAME} / {password}")
        regional = ", ".join(f"{name} ({StaffScope.Level(level).label})"
                             for name, level, _codes, _roles in DEMO_REGIONAL_STAFF)
        self.stdout.write(f"Regional staff, same password: {regional}")
