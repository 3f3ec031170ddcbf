from django.conf import settings


def site(request):
    return {"FIRST_REPLY_HOURS": settings.FIRST_REPLY_HOURS}
