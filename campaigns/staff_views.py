"""Staff pages of the campaigns room: who looked at what (个人信息访问记录)."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from . import selectors
from .access import staff_permission_required

PAGE_SIZE = 50


class AccessLogFilterForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("工作人员"), queryset=get_user_model().objects.none(), required=False,
        empty_label=_("全部工作人员"),
    )
    date_from = forms.DateField(label=_("开始日期"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("结束日期"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = selectors.access_log_users()

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("结束日期不能早于开始日期。"))
        return data

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


@require_GET
@staff_permission_required("campaigns.view_access_log")
def access_log(request):
    """Unmasked views, number searches and exports: who, when, which record or report."""
    form = AccessLogFilterForm(request.GET or None)
    page = Paginator(selectors.access_log(**form.filters()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "campaigns/staff/access_log.html",
                  {"form": form, "page": page, "query": query.urlencode()})
