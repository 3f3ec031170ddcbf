"""With the database queue, a confirmation is queued in the transaction of the signup it is
about: committed with it or not at all. A process killed right after the signup's COMMIT
(before any on-commit callback runs) still leaves its confirmation queued."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from campaigns import services
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)

SEND_SMS = "campaigns.sms.delivery.send_sms"


class Crash(Exception):
    pass


def signup(session, phone="13700001111"):
    return services.signup_create(session=session, name="赵一鸣", phone=phone,
                                  email="zhao@example.com", rules_accepted=True)


def test_the_confirmation_commits_with_the_signup_without_any_on_commit_callback(
    database_queue, monkeypatch
):
    session = SessionFactory()
    # As if the process died between COMMIT and the callbacks: none of them ever runs.
    monkeypatch.setattr(transaction, "on_commit", lambda *args, **kwargs: None)
    record = signup(session)
    [row] = DBTaskResult.objects.filter(task_path=SEND_SMS)
    assert row.args_kwargs["kwargs"]["record_id"] == record.pk
    assert row.status == "READY"


def test_a_signup_rolled_back_leaves_no_confirmation(database_queue):
    session = SessionFactory()
    with pytest.raises(Crash), transaction.atomic():
        signup(session)
        assert DBTaskResult.objects.filter(task_path=SEND_SMS).count() == 1  # in the transaction
        raise Crash
    assert not DBTaskResult.objects.filter(task_path=SEND_SMS).exists()


def test_outside_a_transaction_the_task_is_queued_at_once(database_queue):
    from config.tasks import enqueue_on_commit
    from feedback.reporting.export_jobs import run_export_job  # any task of the site

    enqueue_on_commit(run_export_job, job_id=0)
    assert DBTaskResult.objects.filter(task_path__endswith="run_export_job").count() == 1
