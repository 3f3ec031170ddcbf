"""Regions in queries: a province or city as a filter, and the scope of a staff member.

Codes are GB/T 2260: a city's code starts with its province's two digits, so "in Hubei"
is `code LIKE '42%'` on any column of codes (a foreign key to Region, or the plain code
columns of the dashboard rollups), without a join.

The scope is the one rule for what staff see: every staff queryset is filtered with
`scope_for(user).q(path)`, and a record outside the scope is a 404, never a 403 (its
existence is not revealed).
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import get_language

from .models import Region, StaffScope

# Matches no row, and compiles to SQL (an empty IN would not: the export's COPY compiles it).
NOTHING = Q(pk__isnull=True)


def is_province(code: str) -> bool:
    return code.endswith("0000")


def province_of(code: str) -> str:
    return f"{code[:2]}0000"


def region_q(code: str, path: str, *, key: bool = False) -> Q:
    """Rows in region `code` (a province: its own rows and its cities'). `path` names a
    foreign key to Region, or with key=True a column holding codes."""
    column = path if key else f"{path}__code"
    if is_province(code):
        return Q(**{f"{column}__startswith": code[:2]})
    return Q(**{column: code})


@dataclass(frozen=True)
class Scope:
    """What a staff member may see: everything (national) or the listed provinces and
    cities (with a province, all its cities)."""

    level: str
    codes: tuple[str, ...] = ()

    @property
    def national(self) -> bool:
        return self.level == StaffScope.Level.NATIONAL

    def q(self, path: str, *, key: bool = False) -> Q:
        if self.national:
            return Q()
        q = NOTHING
        for code in self.codes:
            q |= region_q(code, path, key=key)
        return q

    def covers(self, code: str | None) -> bool:
        """Whether a record in region `code` (None: the whole country) is in the scope."""
        if self.national:
            return True
        if not code:
            return False
        return any(code == mine or (is_province(mine) and code[:2] == mine[:2])
                   for mine in self.codes)

    def regions(self):
        """The provinces and cities a filter may offer: all, or the scope's own and the
        cities of its provinces."""
        regions = Region.objects.all()
        if self.national:
            return regions
        return regions.filter(self.q("pk", key=True) if self.codes else NOTHING)


NONE = Scope(level="")
NATIONAL = Scope(level=StaffScope.Level.NATIONAL)


def scope_for(user) -> Scope:
    """The user's scope (one query, remembered on the user object for the request)."""
    if not (user and user.is_authenticated):
        return NONE
    cached = getattr(user, "_region_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = NATIONAL
    else:
        rows = list(StaffScope.objects.filter(user=user).values_list("level", "regions"))
        scope = (Scope(level=rows[0][0], codes=tuple(sorted(c for _l, c in rows if c)))
                 if rows else NONE)
    user._region_scope = scope
    return scope


def city_named(name: str) -> Region:
    """The city called `name`, with or without 市 ("武汉" or "武汉市"): for demo data and
    scripts that speak in names."""
    return Region.objects.get(level=Region.Level.CITY, name__in=(name, f"{name}市"))


def name_field() -> str:
    """Region's name column in the page's language, for queries that read names as values."""
    return "name_en" if get_language() == "en" else "name"
