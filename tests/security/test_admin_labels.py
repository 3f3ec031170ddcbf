"""The admin index names every section in the staff member's language: Chinese first,
English at /en/ (third-party apps included)."""

import re

import pytest

from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

ENGLISH_ONLY = ("Axes", "Otp_Static", "Otp_Totp", "Tasks Database Backend", "Access attempts",
                "Access logs", "Task Results", "TOTP devices", "Static devices")


def headings(html: str) -> set[str]:
    names = re.findall(r'<caption>\s*<a[^>]*>([^<]+)</a>', html)
    names += re.findall(r'<th scope="row"[^>]*>\s*<a[^>]*>([^<]+)</a>', html)
    return set(names)


def test_the_admin_index_is_chinese(client):
    client.force_login(StaffFactory())
    names = headings(client.get("/admin/").content.decode())
    assert {"登录防护", "两步验证：验证器应用", "后台任务", "登录失败记录", "任务结果"} <= names
    assert not names & set(ENGLISH_ONLY)
    assert not [n for n in names if re.fullmatch(r"[A-Za-z_ ]+", n)]


def test_the_english_admin_index_is_english(client):
    client.force_login(StaffFactory())
    names = headings(client.get("/en/admin/").content.decode())
    assert {"Login protection", "Background tasks", "Failed logins"} <= names
