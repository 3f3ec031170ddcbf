from django.conf import settings

from .care import care_mode


def site(request):
    return {
        "FIRST_REPLY_HOURS": settings.FIRST_REPLY_HOURS,
        "SMS_CODE_RESEND_SECONDS": settings.SMS_CODE_RESEND_SECONDS,
        "CARE_MODE": care_mode(request),
    }
