"""Rule: behind a trusted proxy (TRUSTED_PROXIES) the visitor's address is the right-most
X-Forwarded-For entry that is not a trusted proxy, else REMOTE_ADDR.

Home: config/clientip.py. The public forms' rate limits and the admin login lockout
(django-axes) must both follow the one setting, so a forged header fools neither.
"""

import pytest
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils.module_loading import import_string

from campaigns import ratelimit
from tests.factories import StaffFactory

PROXY = "10.0.0.2"
CLIENT = "203.0.113.7"
FORGED = "6.6.6.6"


def request(forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().post("/", REMOTE_ADDR=PROXY, **headers)


CASES = [
    # (trusted proxies, X-Forwarded-For, the visitor's address)
    ([], None, PROXY),
    ([], CLIENT, PROXY),  # no proxy trusted: the header is the client's own claim
    (["10.0.0.9"], CLIENT, PROXY),  # the peer is not the trusted proxy
    ([PROXY], CLIENT, CLIENT),
    ([PROXY], f"{FORGED}, {CLIENT}", CLIENT),  # the forged left entry is ignored
    (["10.0.0.0/24"], f"{FORGED}, {CLIENT}, 10.0.0.3", CLIENT),  # two proxies in a row
    ([PROXY], None, PROXY),  # a trusted proxy that forwarded nothing
]


@pytest.mark.parametrize(("proxies", "forwarded", "expected"), CASES)
def test_rate_limits_and_login_lockout_see_the_same_address(proxies, forwarded, expected):
    with override_settings(TRUSTED_PROXIES=proxies):
        seen = {
            "rate limits": ratelimit.client_ip(request(forwarded)),
            "axes callable": import_string(settings.AXES_CLIENT_IP_CALLABLE)(request(forwarded)),
            "axes": get_client_ip_address(request(forwarded)),
        }
    assert seen == dict.fromkeys(seen, expected)


def test_a_forged_header_neither_escapes_the_rate_limit_nor_the_lockout(client, db, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.RATELIMITS = {"rules_ip": "1/h"}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert ratelimit.limit_form_post(request(CLIENT), "rules", form=None) is None
    again = ratelimit.limit_form_post(request(f"{FORGED}, {CLIENT}"), "rules", form=None)
    assert again is not None and again.status_code == 429
    assert ratelimit.limit_form_post(request("198.51.100.20"), "rules", form=None) is None

    StaffFactory(username="moderator")
    client.post(
        reverse("admin:login"), {"username": "moderator", "password": "wrong"},
        REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{FORGED}, {CLIENT}",
    )
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [CLIENT]
