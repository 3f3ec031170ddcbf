"""The dashboard's filter form (GET), shared by the dashboard, the report and the exports."""

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.content import ContentSelect, text_of
from campaigns.forms import DateRangeForm
from campaigns.models import Activity
from campaigns.regions import NATIONAL

from .filters import DashboardFilters


class DashboardFilterForm(DateRangeForm):
    # Plain choice fields filled from lists the view loaded once: validating a choice then
    # runs no query (a ModelChoiceField would fetch the row again).
    # Activities and themes named as the page shows them, marked where that is Chinese.
    activity = forms.ChoiceField(label=_("活动"), required=False, widget=ContentSelect)
    kind = forms.ChoiceField(
        label=_("活动类型"), required=False, choices=[("", _("全部类型")), *Activity.Kind.choices]
    )
    theme = forms.ChoiceField(label=_("主题"), required=False, widget=ContentSelect)
    region = forms.ChoiceField(label=_("区域"), required=False)
    field_order = ["activity", "kind", "theme", "region", "date_from", "date_to"]

    def __init__(self, *args, activities=(), themes=(), regions=(), scope=NATIONAL, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].choices = [("", _("全部活动"))] + [
            (a.pk, text_of(a, "title")) for a in activities
        ]
        self.fields["theme"].choices = [("", _("全部主题"))] + [
            (t.pk, text_of(t, "name")) for t in themes
        ]
        self.fields["region"].choices = [("", _("全部区域"))] + [
            (r.code, r.label if r.level == r.Level.PROVINCE else f"\u3000{r.label}")
            for r in regions
        ]
        self._regions = {r.code: r for r in regions}
        self.scope = scope
        self._activities = {str(a.pk): a for a in activities}
        self._themes = {str(t.pk): t for t in themes}

    def filters(self) -> DashboardFilters:
        """The valid filters; an invalid form filters nothing (the errors are shown)."""
        if not self.is_bound or not self.is_valid():
            return DashboardFilters(scope=self.scope)
        data = self.cleaned_data
        return DashboardFilters(
            activity=self._activities.get(data["activity"]),
            kind=data["kind"],
            theme=self._themes.get(data["theme"]),
            region=self._regions.get(data["region"]),
            date_from=data["date_from"],
            date_to=data["date_to"],
            scope=self.scope,
        )
