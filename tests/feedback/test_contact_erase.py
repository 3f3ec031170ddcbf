"""A customer who left contact details can erase them with the feedback reference and phone;
the rating stays, the public text stays masked, and the erasure is audited."""

import pytest

from campaigns.models import AuditEntry
from feedback.models import Feedback

pytestmark = pytest.mark.django_db
PHONE = "13812345678"


@pytest.fixture
def feedback(submit):
    return submit(kind="complaint", overall_score=3, wants_reply=True, name="张伟", phone=PHONE,
                  email="z@example.com", consent=True, comment=f"请回电{PHONE},谢谢")


def test_the_status_page_offers_the_erasure_and_it_keeps_the_rating(client, feedback):
    page = client.post("/feedback/status/", {"reference": feedback.reference, "phone": PHONE})
    assert "删除我的联系方式" in page.content.decode()
    response = client.post("/feedback/status/erase/",
                           {"reference": feedback.reference, "phone": PHONE})
    assert response.status_code == 200 and "您的联系方式已删除" in response.content.decode()
    feedback.refresh_from_db()
    assert (feedback.name, feedback.phone, feedback.email, feedback.wants_reply) == (
        "", "", "", False)
    assert feedback.comment == "请回电138****5678,谢谢" and feedback.overall_score == 3
    assert AuditEntry.objects.filter(action="personal_data.erase", object_id=feedback.pk).exists()


def test_a_wrong_phone_erases_nothing(client, feedback):
    response = client.post("/feedback/status/erase/",
                           {"reference": feedback.reference, "phone": "13900000000"})
    assert response.status_code == 400 and "没有找到这条反馈" in response.content.decode()
    assert Feedback.objects.get().phone == PHONE
