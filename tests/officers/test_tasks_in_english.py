"""Officers on the English site read their tasks in English where staff wrote it, and in
Chinese, marked as Chinese, where they did not."""

import pytest

from .test_report_images import signed_in

pytestmark = pytest.mark.django_db


def test_the_english_zone_shows_the_english_title_and_the_chinese_instructions_marked(
    officer, task
):
    task.title_en = "5G on the metro"
    task.save(update_fields=["title_en"])
    client = signed_in(officer.phone)
    zone = client.get("/en/officer/").content.decode()
    assert '<h3 class="h6 mb-1">5G on the metro</h3>' in zone
    assert f'<div class="prose small" lang="zh-Hans"><p>{task.instructions_zh_hans}' in zone
    form = client.get(f"/en/officer/tasks/{task.pk}/report/").content.decode()
    assert '<h1 class="h3">5G on the metro</h1>' in form
    chinese = client.get("/officer/").content.decode()
    assert task.title_zh_hans in chinese and "5G on the metro" not in chinese
