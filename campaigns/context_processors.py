from django.conf import settings


def site(request):
    return {
        "FIRST_REPLY_HOURS": settings.FIRST_REPLY_HOURS,
        "SMS_CODE_RESEND_SECONDS": settings.SMS_CODE_RESEND_SECONDS,
    }
