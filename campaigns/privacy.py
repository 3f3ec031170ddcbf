"""Versions of the privacy notice (个人信息保护说明).

Each version is a template, kept for as long as any record may point to it, so that what a
person accepted can always be shown again. A new version is a new template plus a new entry
at the top of NOTICES; signups record `current_notice().version`.
"""

import datetime
from dataclasses import dataclass

from django.http import Http404


@dataclass(frozen=True)
class PrivacyNotice:
    version: str
    effective_on: datetime.date

    @property
    def template_name(self) -> str:
        return f"campaigns/privacy/{self.version}.html"


# Newest first.
NOTICES = (PrivacyNotice(version="2026-11", effective_on=datetime.date(2026, 11, 1)),)


def current_notice() -> PrivacyNotice:
    return NOTICES[0]


def get_notice(version: str) -> PrivacyNotice:
    for notice in NOTICES:
        if notice.version == version:
            return notice
    raise Http404("No such privacy notice version")
