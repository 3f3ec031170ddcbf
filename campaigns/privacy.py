"""Versions of the privacy notice (个人信息保护说明).

Each version is a template, kept for as long as any record may point to it, so that what a
person accepted can always be shown again. A new version is a new template plus a new entry
at the top of NOTICES; signups record `current_notice().version`.
"""

import datetime
from dataclasses import dataclass

from django.http import Http404
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class PrivacyNotice:
    version: str
    effective_on: datetime.date

    @property
    def template_name(self) -> str:
        return f"campaigns/privacy/{self.version}.html"


# Newest first.
NOTICES = (
    # States the retention period of `manage.py purge_personal_data` (RETENTION_DAYS).
    PrivacyNotice(version="2026-11-26", effective_on=datetime.date(2026, 11, 26)),
    PrivacyNotice(version="2026-11", effective_on=datetime.date(2026, 11, 1)),
)


def current_notice() -> PrivacyNotice:
    return NOTICES[0]


def get_notice(version: str) -> PrivacyNotice:
    for notice in NOTICES:
        if notice.version == version:
            return notice
    raise Http404("No such privacy notice version")


def _consent_label() -> SafeString:
    return format_html(
        '{} <a href="{}" target="_blank" rel="noopener">{}</a>',
        _("我已阅读并同意"),
        reverse("campaigns:privacy"),
        _("《个人信息保护说明》"),
    )


# The label of every consent checkbox (signups, applications, feedback contact): a link to
# the notice, in the language of the request that draws it.
CONSENT_LABEL = lazy(_consent_label, SafeString)()
