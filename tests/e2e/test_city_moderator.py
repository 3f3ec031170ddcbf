"""A city branch's moderator (the demo's Wuhan account) logs in and finds only Wuhan's
feedback in the queue and in its region filter; another city's feedback is not found."""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, screenshot
from tests.e2e.steps import STAFF_PASSWORD

pytestmark = pytest.mark.e2e

REFERENCES = """
import json
from feedback.models import Feedback
print(json.dumps({f.reference: f.region_id or "" for f in Feedback.objects.all()}))
"""


@pytest.fixture(scope="session")
def feedback_regions(django_shell):
    return json.loads(django_shell(REFERENCES).splitlines()[-1])


def test_the_wuhan_moderator_sees_only_wuhans_queue(page, feedback_regions, django_shell):
    page.goto("/staff/feedback/")
    page.get_by_label("用户名").fill("wuhan")
    page.get_by_label("密码").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/staff/feedback/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    listed = set(page.locator("table a.font-monospace").all_inner_texts())
    wuhan = {ref for ref, code in feedback_regions.items() if code == "420100"}
    others = set(feedback_regions) - wuhan
    assert wuhan and listed == wuhan
    screenshot(page, "city-moderator-01-queue")
    assert axe_violations(page) == []

    options = page.get_by_label("区域").locator("option").all_inner_texts()
    assert [o.strip() for o in options] == ["全部区域", "武汉市"]

    other = next(ref for ref in sorted(others))
    pk = django_shell(f"from feedback.models import Feedback; "
                      f"print(Feedback.objects.get(reference={other!r}).pk)").splitlines()[-1]
    response = page.goto(f"/staff/feedback/{pk}/")
    assert response.status == 404
