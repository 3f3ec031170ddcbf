"""Staff pages of the campaigns room: who looked at what (个人信息访问记录), and the second
factor of a staff sign-in (两步验证)."""

from django import forms
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from . import devices, selectors
from .access import staff_permission_required
from .forms import DateRangeForm
from .regions import scope_for

PAGE_SIZE = 50


class AccessLogFilterForm(DateRangeForm):
    user = forms.ModelChoiceField(
        label=_("工作人员"), queryset=get_user_model().objects.none(), required=False,
        empty_label=_("全部工作人员"),
    )
    field_order = ["user", "date_from", "date_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = selectors.access_log_users()

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


@require_GET
@staff_permission_required("campaigns.view_access_log")
def access_log(request):
    """Unmasked views, number searches and exports: who, when, which record or report. Its
    entries name records of every region: the national team's page."""
    if not scope_for(request.user).national:
        raise Http404
    form = AccessLogFilterForm(request.GET or None)
    page = Paginator(selectors.access_log(**form.filters()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "campaigns/staff/access_log.html",
                  {"form": form, "page": page, "query": query.urlencode()})


# --- Second factor (两步验证) ---------------------------------------------------------------

RECOVERY_CODES = 10


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("验证码"), max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("验证器应用中的6位数字，或一个恢复码。"),
        error_messages={"required": _("请输入验证码。")},
    )

    def clean_token(self):
        return "".join(self.cleaned_data["token"].split()).lower()


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return reverse("feedback:dashboard")


@staff_member_required
def second_factor(request):
    """The second step of a staff sign-in: a TOTP code or one recovery code."""
    if not devices.has_authenticator(request.user):
        return redirect(f"{reverse('campaigns:second_factor_setup')}?{request.GET.urlencode()}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if devices.verify(request, token=form.cleaned_data["token"]):
            return redirect(_next_url(request))
        form.add_error("token", _("验证码不正确或已过期，请重试。"))
    return render(request, "campaigns/staff/second_factor.html",
                  {"form": form, "next": _next_url(request)})


@staff_member_required
def second_factor_setup(request):
    """Add an authenticator app: scan the QR code, confirm one code, keep the recovery codes
    (shown once). Only until an authenticator is confirmed; replacing one is an admin task."""
    if devices.has_authenticator(request.user):
        return redirect("campaigns:second_factor")
    device = devices.pending_authenticator(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = devices.confirm_authenticator(request, device=device,
                                              token=form.cleaned_data["token"],
                                              recovery_codes=RECOVERY_CODES)
        if codes is not None:
            return render(request, "campaigns/staff/recovery_codes.html",
                          {"codes": codes, "next": _next_url(request)})
        form.add_error("token", _("验证码不正确，请确认手机时间准确后重试。"))
    return render(request, "campaigns/staff/second_factor_setup.html", {
        "form": form, "next": _next_url(request), "qr": devices.qr_data_uri(device),
        "secret": devices.secret(device),
    })
