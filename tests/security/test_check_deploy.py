"""An operator running `manage.py check --deploy` with production's environment sees no issue."""

import json

import pytest

from .conftest import TEST_REDIS_URL, manage, production_environment

SUCCESS = "System check identified no issues (0 silenced)."


@pytest.mark.parametrize(
    "extra_env",
    [{}, {"REDIS_URL": TEST_REDIS_URL, "DJANGO_TRUSTED_PROXIES": "127.0.0.1,::1"}],
    ids=["plain", "redis-behind-proxy"],
)
def test_check_deploy_reports_no_issues_with_production_settings(extra_env):
    result = manage("check", "--deploy", env=production_environment(**extra_env))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert SUCCESS in output
    assert "WARNINGS" not in output and "ERRORS" not in output
    assert "issues" not in output.replace(SUCCESS, ""), output


def test_check_deploy_would_notice_a_development_setting():
    """The check above can fail: with DEBUG on it reports security.W018."""
    result = manage("check", "--deploy", env=production_environment(DJANGO_DEBUG="1"))
    assert "security.W018" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", env=production_environment(DJANGO_SECRET_KEY=""))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


def test_collectstatic_builds_the_hashed_manifest_production_pages_need(production_static_root):
    manifest = json.loads((production_static_root / "staticfiles.json").read_text())
    for name in ("css/site.css", "vendor/bootstrap/bootstrap.min.css", "admin/css/base.css"):
        hashed = manifest["paths"][name]
        assert hashed != name
        assert (production_static_root / hashed).exists()
        assert (production_static_root / f"{hashed}.gz").exists()


def test_check_deploy_warns_when_codes_are_required_but_go_nowhere():
    result = manage("check", "--deploy", env=production_environment(CAMPAIGN_SMS_BACKEND="console"))
    assert "campaigns.W001" in result.stdout + result.stderr


def test_a_provider_without_its_keys_and_templates_refuses_to_start():
    result = manage("check", env=production_environment(
        CAMPAIGN_SMS_BACKEND="tencent", CAMPAIGN_SMS_TEMPLATE_REPLY=""))
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "campaigns.E001" in output
    for name in ("CAMPAIGN_SMS_TENCENT_SECRET_ID", "CAMPAIGN_SMS_TENCENT_SDK_APP_ID",
                 "CAMPAIGN_SMS_TEMPLATE_REPLY"):
        assert name in output
