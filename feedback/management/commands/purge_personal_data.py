"""Erase personal data past its retention period; for cron (daily).

    python manage.py purge_personal_data            # erase, print counts
    python manage.py purge_personal_data --dry-run  # only print what would be erased

Names, mobile numbers, emails and free text of signups (and their GM-reception cases) and
officer applications are erased CAMPAIGN_RETENTION_DAYS (default 180) after the session or
the campaign ended; feedback keeps its ratings but loses its contact details and original
text that many days after its case closed (or it was given, when it opened no case). Every
erasure is in the audit log (`personal_data.purge`); statistics and the dashboard stay exact.
SMS verification codes (they hold a number) are deleted a day after they were sent.
Lives in the feedback app because it purges both rooms. Prints counts only.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from campaigns.services import personal_data_purge
from campaigns.services.phone_codes import codes_purge
from feedback.services import feedback_contact_purge


class Command(BaseCommand):
    help = "Erase personal data older than CAMPAIGN_RETENTION_DAYS (--dry-run: counts only)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print counts, erase nothing.")

    def handle(self, *args, dry_run=False, **options):
        records = personal_data_purge(dry_run=dry_run)
        contacts = feedback_contact_purge(dry_run=dry_run)
        codes = 0 if dry_run else codes_purge()
        verb = "Would erase" if dry_run else "Erased"
        self.stdout.write(
            f"{verb} personal data of {records.signups} signup(s), {records.applications} "
            f"application(s) and {contacts} feedback contact(s) older than "
            f"{settings.RETENTION_DAYS} days."
        )
        if not dry_run:
            self.stdout.write(f"Deleted {codes} SMS code(s) sent over a day ago.")
