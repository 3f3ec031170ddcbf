"""我的: a mobile number, proven by SMS code, opens everything it did for SMS_VERIFIED_MINUTES.

Signups in every activity, officer applications, GM-reception cases and their answers,
feedback with its status and official replies, and the one step that erases all of it. It
lives in the feedback app because it shows both apps' records (imports go campaigns ←
feedback). The reference-code lookup (campaigns:my_lookup) and the emailed link remain.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from campaigns.forms import NumberSignInForm
from campaigns.masking import mask_phone
from campaigns.models import Signup
from campaigns.public_forms import submit_public_form
from campaigns.selectors import records_for_phone
from campaigns.verification import sign_in_number, sign_out_number, signed_in_number

from . import selectors, services


def _next(request) -> str | None:
    """Where to go once signed in (体验官专区 sends people here first): a path on this site."""
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return target
    return None


def _signed_in(request, phone: str):
    sign_in_number(request, phone)
    return redirect(_next(request) or "feedback:mine")


@never_cache
@require_http_methods(["GET", "POST"])
def mine(request):
    phone = signed_in_number(request)
    if phone and (target := _next(request)):
        return redirect(target)
    if phone:
        return render(request, "feedback/mine.html", _page(phone))
    form = NumberSignInForm(request.POST or None, request=request)
    if request.method == "POST":
        done = submit_public_form(
            request, form, scope="lookup", service=lambda phone: phone,
            on_success=lambda phone: _signed_in(request, phone),
        )
        if done:
            return done
    return render(request, "feedback/mine_signin.html", {"form": form})


def _page(phone: str) -> dict:
    records = records_for_phone(phone)
    return {
        "phone_masked": mask_phone(phone),
        "signups": records.signups,
        "applications": records.applications,
        "feedback_list": selectors.feedback_for_phone(phone),
        "holds_place": Signup.HOLDS_PLACE,
        "now": timezone.now(),
    }


@require_POST
def mine_sign_out(request):
    sign_out_number(request)
    messages.success(request, _("您已退出“我的”。"))
    return redirect("feedback:mine")


@require_POST
def mine_erase(request):
    phone = signed_in_number(request)
    if not phone:
        return redirect("feedback:mine")
    if request.POST.get("confirm") != "1":
        messages.error(request, _("请勾选确认后再删除。"))
        return redirect("feedback:mine")
    services.personal_data_erase_number(phone=phone)
    sign_out_number(request)
    messages.success(request, _("与这个手机号码有关的个人信息已全部删除。"))
    return redirect("feedback:mine")
