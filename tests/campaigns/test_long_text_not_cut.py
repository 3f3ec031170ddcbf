"""Nothing typed is cut silently: long text fields carry no maxlength (the browser would cut a
paste); the server refuses an over-long text with a message and keeps every character."""

import pytest
from django.urls import reverse

from campaigns.models import Activity
from tests.campaigns.test_gm_reception import booking_data
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def test_long_text_is_kept_and_refused_with_its_length(client):
    slot = SessionFactory(activity__kind=Activity.Kind.GM_RECEPTION, capacity=3)
    url = reverse("campaigns:signup", args=[slot.activity.slug, slot.pk])
    form = client.get(url).content.decode()
    assert 'data-maxlength="1000"' in form
    assert 'maxlength="1000"' not in form.replace('data-maxlength="1000"', "")
    description = "宽带掉线" * 300  # 1200 characters
    response = client.post(url, booking_data(description=description))
    page = response.content.decode()
    assert response.status_code == 200
    assert "最多1000个字（现在是1200个字）" in page
    assert description in page  # every character is still in the field
