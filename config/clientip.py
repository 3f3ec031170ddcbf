"""The proxies we trust, and the visitor's address: one rule for the whole site.

`DJANGO_TRUSTED_PROXIES` (setting `TRUSTED_PROXIES`) lists the addresses or networks of the
reverse proxies in front of gunicorn (e.g. `127.0.0.1,::1` for nginx on the same host). That
one variable decides everything that reads a forwarded header:

- gunicorn's `forwarded_allow_ips` (config/gunicorn.conf.py) is the same list;
- Django's `SECURE_PROXY_SSL_HEADER` is set only when the list is not empty;
- `ForwardedHeadersMiddleware` (first in MIDDLEWARE) deletes every `X-Forwarded-*` /
  `Forwarded` header of a request whose peer (`REMOTE_ADDR`) is not one of them, so a client
  talking to gunicorn directly cannot claim HTTPS or another address;
- `client_ip()` (rate limits, django-axes) is `REMOTE_ADDR` unless that peer is a trusted
  proxy; then it is the right-most `X-Forwarded-For` entry that is not a trusted proxy
  (entries further left were written by the client and are not believed).

Empty (the default): no proxy, no forwarded header is believed anywhere.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

# Headers a proxy sets and a client could forge (WSGI names).
FORWARDED_HEADERS = (
    "HTTP_FORWARDED",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_PROTOCOL",
    "HTTP_X_FORWARDED_SSL",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_REAL_IP",
)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))


def is_trusted_proxy(address: str) -> bool:
    networks = trusted_networks()
    if not networks or not address:
        return False
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    if not is_trusted_proxy(remote):
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    for address in reversed(forwarded):
        if not is_trusted_proxy(address):
            return address
    return forwarded[0] if forwarded else remote


class ForwardedHeadersMiddleware:
    """Forwarded headers count only from a trusted proxy: from anyone else they are dropped
    before Django (SECURE_PROXY_SSL_HEADER) or our code can read them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_trusted_proxy(request.META.get("REMOTE_ADDR", "")):
            for header in FORWARDED_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)
