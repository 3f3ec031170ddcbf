from django import forms
from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import selectors
from .care import MODES, remember_mode
from .models import Activity
from .privacy import NOTICES, current_notice, get_notice
from .public_cache import cached_public_page


@cached_public_page
def home(request):
    campaign = selectors.current_campaign()
    context = {"campaign": campaign}
    if campaign:
        context["themes"] = selectors.themes_with_items(campaign)
        context["sections"] = selectors.home_sections(campaign)
    return render(request, "campaigns/home.html", context)


class ActivityFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("活动类型"),
        required=False,
        choices=[("", _("全部类型")), *Activity.Kind.choices],
    )
    city = forms.ChoiceField(label=_("城市"), required=False)

    def __init__(self, *args, cities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].choices = [
            ("", _("全部城市")),
            *cities,
            (selectors.ONLINE, _("线上")),
        ]


@cached_public_page
def activity_list(request):
    form = ActivityFilterForm(request.GET or None, cities=selectors.activity_cities())
    # An unknown kind or city in the URL shows every activity rather than an error page.
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    activities = selectors.activity_list(kind=filters.get("kind", ""), city=filters.get("city", ""))
    return render(
        request, "campaigns/activity_list.html", {"form": form, "activities": activities}
    )


@cached_public_page
def activity_detail(request, slug):
    activity = selectors.activity_detail(slug)
    return render(request, "campaigns/activity_detail.html", {"activity": activity})


@cached_public_page
def commitments(request):
    """服务承诺: the operator's standing commitments, as the campaign's seed article tells them
    (the 八项承诺 of 2007, the 4G era's 六项服务举措, the 三全 service system)."""
    return render(request, "campaigns/commitments.html",
                  {"campaign": selectors.current_campaign()})


@cached_public_page
def privacy_notice(request, version=None):
    notice = get_notice(version) if version else current_notice()
    return render(
        request,
        "campaigns/privacy_notice.html",
        {"notice": notice, "current": current_notice(), "versions": NOTICES,
         "retention_days": settings.RETENTION_DAYS},
    )


@require_GET
@never_cache
def care_switch(request, mode):
    """关怀版 on (/care/on/) or off (/care/off/), then back to the page the visitor was on.

    A plain link rather than a form: it works without script, and public pages carry no
    per-visitor CSRF token, so they stay cacheable (one cached copy per mode). Only the
    display changes, so a link someone else makes a visitor follow does no harm.
    """
    if mode not in MODES:
        raise Http404
    target = request.GET.get("next", "")
    if not (target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts=None)):
        target = reverse("campaigns:home")
    return remember_mode(HttpResponseRedirect(target), care=MODES[mode])
