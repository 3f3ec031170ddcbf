"""The dashboard's filters: one object that every figure, list, export and link reads.

Each method gives the `Q` for one kind of row (feedback, signups, sessions, applications,
reception cases, rollup rows), so a filter means the same thing everywhere it is applied.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Q
from django.utils.translation import gettext as _

from campaigns.content import text_of
from campaigns.models import Activity, Region, Theme
from campaigns.regions import NATIONAL, Scope, is_province, region_q

from .days import day_start


@dataclass(frozen=True)
class DashboardFilters:
    """Activity, activity kind, theme, region (a province or a city) and a date range
    (local days, both included), within the staff member's scope (`scope`: every method
    applies it, so no figure, list or export reaches past it)."""

    activity: Activity | None = None
    kind: str = ""
    theme: Theme | None = None
    region: Region | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    scope: Scope = NATIONAL

    def region_q(self, path: str, *, key: bool = False) -> Q:
        q = self.scope.q(path, key=key)
        if self.region is not None:
            q &= region_q(self.region.code, path, key=key)
        return q

    def _dates(self, path: str) -> Q:
        q = Q()
        if self.date_from:
            q &= Q(**{f"{path}__gte": day_start(self.date_from)})
        if self.date_to:
            q &= Q(**{f"{path}__lt": day_start(self.date_to + datetime.timedelta(days=1))})
        return q

    def _activity(self, path: str) -> Q:
        """Filters on the activity that the foreign key at `path` points to."""
        q = Q()
        if self.activity is not None:
            q &= Q(**{path: self.activity.pk})
        if self.kind:
            q &= Q(**{f"{path}__kind": self.kind})
        if self.theme is not None:
            # A subquery, not a join over the many-to-many: no duplicated rows.
            q &= Q(**{f"{path}__in": Activity.objects.filter(themes=self.theme).values("pk")})
        return q

    def feedback_q(self) -> Q:
        return self._dates("created_at") & self.feedback_scope_q()

    def days_q(self, path: str = "day") -> Q:
        """The date range on a DateField of local days (the rollups)."""
        q = Q()
        if self.date_from:
            q &= Q(**{f"{path}__gte": self.date_from})
        if self.date_to:
            q &= Q(**{f"{path}__lte": self.date_to})
        return q

    def feedback_scope_q(self, *, key: bool = False) -> Q:
        """Activity, kind, theme and region, on feedback or on rollup rows (same field
        names; the rollups keep the region's code)."""
        q = Q()
        if self.activity is not None:
            q &= Q(activity=self.activity)
        if self.kind:
            q &= Q(activity__kind=self.kind)
        if self.theme is not None:
            q &= Q(theme=self.theme)
        return q & self.region_q("region", key=key)

    def feedback_rollup_q(self) -> Q:
        return self.feedback_scope_q(key=True)

    def signup_q(self) -> Q:
        return self._dates("created_at") & self.signup_scope_q()

    def signup_scope_q(self) -> Q:
        """Activity, kind, theme and region of the signups' session."""
        return self._activity("session__activity") & self.region_q("session__region")

    def signup_rollup_q(self) -> Q:
        """The same on signup rollup rows (kept per activity and region code)."""
        return self._activity("activity") & self.region_q("region", key=True)

    def session_q(self) -> Q:
        return self._dates("starts_at") & self._activity("activity") & self.region_q("region")

    def application_q(self) -> Q:
        return self._dates("created_at") & self._activity("activity") & self.region_q("region")

    def reception_q(self) -> Q:
        q = self._activity("signup__session__activity") & self.region_q("signup__session__region")
        return q & self._dates("signup__created_at")

    # --- Links and descriptions --------------------------------------------------------

    def as_params(self) -> dict[str, str]:
        params = {}
        if self.activity is not None:
            params["activity"] = str(self.activity.pk)
        if self.kind:
            params["kind"] = self.kind
        if self.theme is not None:
            params["theme"] = str(self.theme.pk)
        if self.region is not None:
            params["region"] = self.region.code
        if self.date_from:
            params["date_from"] = self.date_from.isoformat()
        if self.date_to:
            params["date_to"] = self.date_to.isoformat()
        return params

    @classmethod
    def from_params(cls, params: dict[str, str], *, scope: Scope = NATIONAL) -> "DashboardFilters":
        """The filters `as_params()` gave (stored with a background export), within `scope`
        (the requester's, as it is when the export runs). A filtered activity or theme that
        no longer exists raises DoesNotExist: never "everything"."""
        return cls(
            activity=Activity.objects.get(pk=params["activity"]) if "activity" in params else None,
            kind=params.get("kind", ""),
            theme=Theme.objects.get(pk=params["theme"]) if "theme" in params else None,
            region=Region.objects.get(pk=params["region"]) if "region" in params else None,
            date_from=datetime.date.fromisoformat(params["date_from"])
            if "date_from" in params else None,
            date_to=datetime.date.fromisoformat(params["date_to"]) if "date_to" in params else None,
            scope=scope,
        )

    @property
    def query(self) -> str:
        return urlencode(self.as_params())

    def queue_query(self, **extra) -> str:
        """Parameters of the staff feedback queue (it knows theme, activity and region)."""
        params = {}
        if self.theme is not None:
            params["theme"] = self.theme.pk
        if self.activity is not None:
            params["activity"] = self.activity.pk
        if self.region is not None:
            params["region"] = self.region.code
        params.update(extra)
        return urlencode(params)

    def admin_query(self, *, activity: str, kind: str, region: str, **extra) -> str:
        """Parameters of an admin change list, given the lookups of its list filters."""
        params = {}
        if self.activity is not None:
            params[activity] = self.activity.pk
        if self.kind and kind != "-":  # "-": the list has no such filter
            params[kind] = self.kind
        if self.region is not None:
            # A province: its cities too (codes share its two digits).
            lookup, value = (("startswith", self.region.code[:2]) if is_province(self.region.code)
                             else ("exact", self.region.code))
            params[f"{region}__code__{lookup}"] = value
        params.update(extra)
        return urlencode(params)

    def describe(self) -> list[tuple[str, str]]:
        """(label, value) pairs for a report header, in the page's language (an activity or
        theme without English: its Chinese name, a `ContentText` marked as such)."""
        rows = []
        if self.activity is not None:
            rows.append((_("活动"), text_of(self.activity, "title")))
        if self.kind:
            rows.append((_("活动类型"), str(Activity.Kind(self.kind).label)))
        if self.theme is not None:
            rows.append((_("主题"), text_of(self.theme, "name")))
        if self.region is not None:
            rows.append((_("区域"), self.region.label))
        if self.date_from or self.date_to:
            rows.append(
                (
                    _("日期"),
                    f"{self.date_from.isoformat() if self.date_from else '…'} – "
                    f"{self.date_to.isoformat() if self.date_to else '…'}",
                )
            )
        return rows
