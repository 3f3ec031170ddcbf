"""Staff who can see or export personal data, and superusers, sign in with a second factor
(TOTP app or a single-use recovery code); staff sessions end when idle or when the password
changes. (The rest of the suite runs with DEBUG on, where the second factor is off.)"""

import re
import time

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from campaigns.access import LAST_SEEN
from campaigns.models import AuditEntry
from tests.factories import AnalystFactory, ModeratorRoleFactory, StaffFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("second_factor_on")]
DASHBOARD = reverse("feedback:dashboard")


@pytest.fixture
def second_factor_on():
    with override_settings(STAFF_SECOND_FACTOR=True):
        yield


def code_for(user, steps_ahead: int = 0) -> str:
    """The app's code now (or the next one: a code is accepted only once, and the clock
    tolerance accepts the next step)."""
    device = TOTPDevice.objects.get(user=user)
    drift = device.drift + steps_ahead
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):06d}"


def enrol(client, user) -> list[str]:
    """Set up the authenticator the way a person does; returns the recovery codes shown."""
    page = client.get(reverse("campaigns:second_factor_setup")).content.decode()
    assert 'src="data:image/svg+xml' in page
    response = client.post(reverse("campaigns:second_factor_setup"),
                           {"token": code_for(user), "next": DASHBOARD})
    return re.findall(r"<li><code>([a-z0-9]+)</code></li>", response.content.decode())


@pytest.mark.parametrize("path", [DASHBOARD, reverse("admin:index"), "/en/staff/feedback/"])
def test_a_superuser_is_sent_to_set_up_the_second_factor_first(client, path):
    client.force_login(StaffFactory())
    response = client.get(path, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("campaigns:second_factor_setup"))


def test_setting_up_shows_recovery_codes_once_and_opens_the_staff_area(client):
    user = StaffFactory()
    client.force_login(user)
    codes = enrol(client, user)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get(DASHBOARD).status_code == 200
    assert AuditEntry.objects.filter(action="second_factor.enrol", actor=user).exists()
    # Set up once: the page sends an enrolled user to the code prompt instead.
    response = client.get(reverse("campaigns:second_factor_setup"))
    assert response.url.startswith(reverse("campaigns:second_factor"))


def test_each_new_sign_in_asks_for_a_code_and_a_wrong_one_is_refused(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # throttling has its own test below
    user = StaffFactory()
    client.force_login(user)
    enrol(client, user)
    client.logout()
    client.force_login(user)
    assert client.get(DASHBOARD).url.startswith(reverse("campaigns:second_factor"))
    wrong = client.post(reverse("campaigns:second_factor"), {"token": "000000"})
    assert "验证码不正确" in wrong.content.decode()
    assert client.get(DASHBOARD).status_code == 302
    right = client.post(reverse("campaigns:second_factor"),
                        {"token": code_for(user, steps_ahead=1), "next": DASHBOARD})
    assert right.url == DASHBOARD and client.get(DASHBOARD).status_code == 200


def test_a_recovery_code_works_once(client):
    user = StaffFactory()
    client.force_login(user)
    code = enrol(client, user)[0]
    for attempt in range(2):
        client.logout()
        client.force_login(user)
        client.post(reverse("campaigns:second_factor"), {"token": code})
        assert (client.get(DASHBOARD).status_code == 200) == (attempt == 0)
    assert AuditEntry.objects.filter(action="second_factor.recovery_code").count() == 1


def test_an_analyst_who_exports_needs_it_and_a_moderator_does_not(client):
    client.force_login(AnalystFactory())
    assert client.get(DASHBOARD).status_code == 302
    client.force_login(ModeratorRoleFactory())
    assert client.get(reverse("feedback:queue")).status_code == 200


def test_the_public_site_never_asks_for_it(client):
    client.force_login(StaffFactory())
    assert client.get("/").status_code == 200


def test_a_staff_session_ends_after_the_idle_time(client, settings):
    settings.STAFF_IDLE_MINUTES = 30
    client.force_login(ModeratorRoleFactory())
    queue = reverse("feedback:queue")
    assert client.get(queue).status_code == 200
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 29 * 60  # 29 idle minutes: still signed in
    session.save()
    assert client.get(queue).status_code == 200
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 31 * 60
    session.save()
    assert client.get(queue).status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_password_change_ends_the_other_sessions(client):
    user = ModeratorRoleFactory()
    client.force_login(user)
    assert client.get(reverse("feedback:queue")).status_code == 200
    user.set_password("a-new-and-long-passphrase-2026")
    user.save()
    assert client.get(reverse("feedback:queue")).status_code == 302


def test_guessing_is_throttled_even_the_right_code_right_after_a_wrong_one(client):
    user = StaffFactory()
    client.force_login(user)
    enrol(client, user)
    client.logout()
    client.force_login(user)
    client.post(reverse("campaigns:second_factor"), {"token": "000000"})
    client.post(reverse("campaigns:second_factor"), {"token": code_for(user, steps_ahead=1)})
    assert client.get(DASHBOARD).status_code == 302
