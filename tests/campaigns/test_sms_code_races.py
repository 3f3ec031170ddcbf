"""A code is accepted once even when it arrives many times at the same instant, and wrong
guesses sent together are all counted (PostgreSQL: real threads, their own connections)."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from campaigns.models import PhoneCode
from campaigns.services.phone_codes import CodeInvalid, code_check, code_hash

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PHONE = "13800138000"
CODE = "314159"


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("races are proven on PostgreSQL (CI runs the suite there too)")


@pytest.fixture
def sent_code(db):
    now = timezone.now()
    return PhoneCode.objects.create(
        phone=PHONE, purpose=PhoneCode.Purpose.SIGNUP, created_at=now,
        code_hash=code_hash(PHONE, PhoneCode.Purpose.SIGNUP, CODE),
        expires_at=now + timezone.timedelta(minutes=5),
    )


def rush(codes: list[str]) -> list[str]:
    """Check every code at once, each on its own connection; 'ok' or the refusal's code."""
    barrier = threading.Barrier(len(codes))
    outcomes, lock = [], threading.Lock()

    def worker(code):
        try:
            barrier.wait(timeout=30)
            code_check(phone=PHONE, purpose=PhoneCode.Purpose.SIGNUP, code=code)
            outcome = "ok"
        except CodeInvalid as error:
            outcome = error.code
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=worker, args=(code,)) for code in codes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_the_right_code_sent_twenty_times_at_once_is_accepted_once(sent_code):
    outcomes = rush([CODE] * 20)
    assert outcomes.count("ok") == 1
    assert set(outcomes) - {"ok"} == {"no_code"}


def test_guesses_sent_together_are_all_counted(sent_code):
    outcomes = rush([f"{n:06d}" for n in range(10)])  # none is 314159
    assert "ok" not in outcomes
    sent_code.refresh_from_db()
    assert sent_code.attempts == 5  # five counted wrong, the rest refused as too many
    assert outcomes.count("too_many") == 6  # the fifth wrong guess says so too
