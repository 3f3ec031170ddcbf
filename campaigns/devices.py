"""Second-factor devices of staff (django-otp): one authenticator app (TOTP) and a set of
single-use recovery codes. The views call these; nothing else touches the device tables."""

import base64

import segno
from django.db import transaction
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .services.audit import audit_record

AUTHENTICATOR = "authenticator"
RECOVERY = "recovery"


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_authenticator(user) -> TOTPDevice:
    """The unconfirmed authenticator being set up (the same across reloads of the page)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URI as an SVG QR code in a data: URI (no script, no network)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=4)


def secret(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into an app by hand."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i:i + 4] for i in range(0, len(key), 4))


@transaction.atomic
def confirm_authenticator(request, *, device: TOTPDevice, token: str,
                          recovery_codes: int) -> list[str] | None:
    """Confirm the app with one of its codes; new recovery codes (returned, shown once) and
    this session verified. None when the code is wrong."""
    if not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=device.user).delete()
    static = StaticDevice.objects.create(user=device.user, name=RECOVERY, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(recovery_codes)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    otp_login(request, device)
    audit_record(target=device.user, action="second_factor.enrol", actor=device.user)
    return codes


def verify(request, *, token: str) -> bool:
    """Verify this session with a TOTP code or a recovery code (used up)."""
    device = match_token(request.user, token)
    if device is None:
        return False
    otp_login(request, device)
    if isinstance(device, StaticDevice):
        audit_record(target=request.user, action="second_factor.recovery_code",
                     actor=request.user)
    return True
