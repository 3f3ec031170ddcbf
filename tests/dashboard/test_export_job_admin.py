"""The admin's list of every user's background exports: read-only, filtered and searched,
owners by username only, for superusers (and whoever is given the model permissions) only;
deleting a job deletes its file and is audited."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from campaigns.models import AuditEntry
from feedback.models import ExportJob
from tests.factories import AnalystFactory, FeedbackFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("admin:feedback_exportjob_changelist")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def jobs(theme, django_capture_on_commit_callbacks):
    """A finished CSV job of Wang (with a real name, email and phone-like data on his
    account) and a queued XLSX job of another analyst."""
    FeedbackFactory(theme=theme)
    wang = AnalystFactory(username="wangxm", first_name="小明", last_name="王",
                          email="wang.xiaoming@example.com")
    owner = Client()  # not the test's client, which the admin uses
    owner.force_login(wang)
    with django_capture_on_commit_callbacks(execute=True):
        owner.post(reverse("feedback:export_job_start", args=["csv"]))
    done = ExportJob.objects.get()
    queued = ExportJob.objects.create(user=AnalystFactory(username="lilei"), export="feedback",
                                      format="xlsx", language="zh-hans")
    return done, queued


@pytest.fixture
def admin_client(client):
    client.force_login(StaffFactory(username="root"))
    return client


def test_list_shows_owner_export_format_status_and_rows_and_no_personal_data(
    admin_client, jobs
):
    page = admin_client.get(LIST).content.decode()
    for text in ("wangxm", "lilei", "feedback", "csv", "xlsx", "已完成", "排队中", "1 / 1"):
        assert text in page, text
    for personal in ("小明", "wang.xiaoming@example.com"):
        assert personal not in page


def test_list_filters_by_status_and_format_and_searches_by_owner(admin_client, jobs):
    assert "lilei" not in admin_client.get(LIST + "?status__exact=done").content.decode()
    assert "wangxm" not in admin_client.get(LIST + "?format__exact=xlsx").content.decode()
    page = admin_client.get(LIST + "?q=wang").content.decode()
    assert "wangxm" in page and "lilei" not in page


def test_job_page_is_read_only_and_never_links_the_file(admin_client, jobs):
    done, _queued = jobs
    assert admin_client.get(reverse("admin:feedback_exportjob_add")).status_code == 403
    page = admin_client.get(
        reverse("admin:feedback_exportjob_change", args=[done.pk])
    ).content.decode()
    assert "可下载（保留至" in page
    assert Path(done.file.name).name not in page and "/media/" not in page
    for field in ("_save", "user", "export", "format", "status", "filters", "file"):
        assert f'name="{field}"' not in page, field  # nothing to edit
    assert "小明" not in page and "wang.xiaoming" not in page


def test_roles_without_the_model_permissions_cannot_open_it(as_user, jobs, manager, moderator):
    analyst = ExportJob.objects.get(format="csv").user  # owns a job, still no admin list
    for user in (manager, moderator, analyst, UserFactory(is_staff=True)):
        assert as_user(user).get(LIST).status_code == 403, user


def test_staff_given_the_view_permission_sees_it_but_cannot_delete(as_user, jobs, manager):
    manager.user_permissions.add(
        Permission.objects.get(content_type__app_label="feedback", codename="view_exportjob")
    )
    client = as_user(manager)
    page = client.get(LIST).content.decode()
    assert "wangxm" in page and 'value="delete_selected"' not in page
    done, _queued = jobs
    url = reverse("admin:feedback_exportjob_delete", args=[done.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert ExportJob.objects.filter(pk=done.pk).exists()


def test_delete_action_removes_the_jobs_and_their_files_and_is_audited(
    admin_client, jobs, django_capture_on_commit_callbacks
):
    done, queued = jobs
    path = Path(done.file.path)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(LIST, {
            "action": "delete_selected", "_selected_action": [done.pk, queued.pk], "post": "yes",
        })
    assert response.status_code == 302
    assert not ExportJob.objects.exists()
    assert not path.exists()
    entry = AuditEntry.objects.get(action="export_deleted")
    assert entry.actor.username == "root"
    assert (entry.changes["job"], entry.changes["format"]) == (done.pk, "csv")


def test_deleting_one_job_from_its_page_removes_its_file(
    admin_client, jobs, django_capture_on_commit_callbacks
):
    done, _queued = jobs
    path = Path(done.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("admin:feedback_exportjob_delete", args=[done.pk]),
                          {"post": "yes"})
    assert not ExportJob.objects.filter(pk=done.pk).exists()
    assert not path.exists()
