"""What a customer types is theirs: the site writes its own copy with full-width punctuation,
but a comment typed with ASCII , ! ( ) is published on the 体验心声 wall exactly as typed."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.steps import choose, feedback_reference, staff_login

pytestmark = pytest.mark.e2e

TYPED = "网速很快,就是晚上八点后有点卡!希望优化(地下车库)"


def test_a_comment_typed_with_ascii_punctuation_is_published_as_typed(page, another_visitor):
    typed = f"{TYPED} [{page.viewport_name}]"  # one card per run (phone, desktop)
    page.goto("/feedback/new/")
    choose(page, "主题", "优+网络")
    choose(page, "反馈类型", "建议")
    choose(page, "总体满意度", "8")
    choose(page, "您向亲友推荐中国移动的可能性有多大", "8")
    page.get_by_label("评价内容").fill(typed)
    page.get_by_role("button", name="提交评价").click()
    reference = feedback_reference(page)

    staff = another_visitor()
    staff_login(staff)
    staff.get_by_role("link", name=reference, exact=True).click()
    staff.get_by_role("button", name="发布").click()
    expect(staff.get_by_role("status")).to_have_text(f"反馈 {reference} 已更新为“已发布”。")

    page.goto("/feedback/?theme=you-network")
    card = page.locator(".feedback-card").filter(has_text=f"[{page.viewport_name}]")
    expect(card).to_contain_text(typed)
    expect(card).not_to_contain_text("网速很快，")
    screenshot(page, "customer-text-as-typed")
