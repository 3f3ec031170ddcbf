from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


def compile_translations() -> list[Path]:
    """Compile every .po under LOCALE_PATHS to .mo, in pure Python (no GNU gettext needed)."""
    compiled = []
    for root in settings.LOCALE_PATHS:
        for po_path in Path(root).glob("*/LC_MESSAGES/*.po"):
            mo_path = po_path.with_suffix(".mo")
            if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
                polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            compiled.append(mo_path)
    return compiled


class Command(BaseCommand):
    help = "Compile the project's translations (.po to .mo) without GNU gettext."

    def handle(self, *args, **options):
        for mo_path in compile_translations():
            self.stdout.write(f"compiled {mo_path.relative_to(settings.BASE_DIR)}")
