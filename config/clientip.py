"""The visitor's address: one rule for the rate limits and the admin login lockout.

With DJANGO_TRUSTED_PROXY_COUNT=N (N reverse proxies, each appending the address it saw to
X-Forwarded-For) the client is the Nth entry from the right; entries further left were
written by the client and are not trusted. Without proxies it is REMOTE_ADDR.
"""

from django.conf import settings


def client_ip(request) -> str:
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")
