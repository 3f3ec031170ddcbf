"""Rule: without campaigns.view_personal_data, names show as '王**', mobile numbers as
'138****5678' and emails as 'w***@example.com'.

Home: campaigns/masking.py. The admin (signups, GM-reception cases, officer applications,
feedback), the staff feedback page, the template filters, the public version of free text
and the exports must show the same masked forms of the same person.
"""

import pytest
from django.contrib.auth.models import Permission
from django.template import Context, Template
from django.urls import reverse

from campaigns.masking import mask_email, mask_name, mask_phone
from campaigns.models import StaffScope
from feedback.reporting.exporters import (
    ApplicationExporter,
    AttendeeExporter,
    FeedbackExporter,
)
from tests.factories import (
    OfficerApplicationFactory,
    ReceptionSignupFactory,
    SessionFactory,
    SignupFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PERSON = {"name": "王小明", "phone": "13812345678", "email": "wang@example.com"}
MASKED = {"name": "王**", "phone": "138****5678", "email": "w***@example.com"}
NAME_AND_PHONE = ("name", "phone")
ALL = ("name", "phone", "email")


def shown(text: str, fields=ALL) -> dict[str, str]:
    """For each field, whether the page or file shows it masked, in full, or not at all."""

    def how(field):
        if PERSON[field] in text:
            return "in full"
        return "masked" if MASKED[field] in text else "missing"

    return {field: how(field) for field in fields}


def masked(fields=ALL) -> dict[str, str]:
    return dict.fromkeys(fields, "masked")


@pytest.fixture
def staff(client):
    """Staff who handle signups, cases and feedback and export reports, without the
    personal-data permission."""
    user = UserFactory(is_staff=True)
    codenames = ["view_signup", "change_signup", "view_receptioncase", "view_feedback",
                 "view_officerapplication", "moderate_feedback", "export_reports"]
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    StaffScope.objects.create(user=user, level=StaffScope.Level.NATIONAL)
    client.force_login(user)
    return user


@pytest.fixture
def signup(activity):
    return SignupFactory(session=SessionFactory(activity=activity), **PERSON)


@pytest.fixture
def feedback(submit):
    return submit(kind="complaint", wants_reply=True, consent=True, **PERSON)


def test_the_rule_masks_the_person_as_documented():
    assert {
        "name": mask_name(PERSON["name"]),
        "phone": mask_phone(PERSON["phone"]),
        "email": mask_email(PERSON["email"]),
    } == MASKED


def test_signup_admin_list_and_record_show_the_same_masks(client, staff, signup):
    listing = client.get(reverse("admin:campaigns_signup_changelist")).content.decode()
    record = client.get(
        reverse("admin:campaigns_signup_change", args=[signup.pk])
    ).content.decode()
    assert shown(listing, NAME_AND_PHONE) == masked(NAME_AND_PHONE)
    assert shown(record) == masked()


def test_reception_case_admin_shows_the_customer_with_the_same_masks(client, staff):
    case = ReceptionSignupFactory(name=PERSON["name"], phone=PERSON["phone"]).reception
    record = client.get(
        reverse("admin:campaigns_receptioncase_change", args=[case.pk])
    ).content.decode()
    assert shown(record, NAME_AND_PHONE) == masked(NAME_AND_PHONE)


def test_officer_application_admin_and_export_show_the_same_masks(client, staff):
    application = OfficerApplicationFactory(**PERSON)
    listing = client.get(
        reverse("admin:campaigns_officerapplication_changelist")
    ).content.decode()
    record = client.get(
        reverse("admin:campaigns_officerapplication_change", args=[application.pk])
    ).content.decode()
    (row,) = list(ApplicationExporter(user=staff).rows())
    assert shown(listing, NAME_AND_PHONE) == masked(NAME_AND_PHONE)
    assert shown(record) == masked()
    assert row[2:5] == [MASKED["name"], MASKED["phone"], MASKED["email"]]


def test_feedback_admin_and_staff_feedback_page_show_the_same_masks(client, staff, feedback):
    admin_record = client.get(
        reverse("admin:feedback_feedback_change", args=[feedback.pk])
    ).content.decode()
    staff_page = client.get(reverse("feedback:staff_detail", args=[feedback.pk])).content.decode()
    assert shown(admin_record) == masked()
    assert shown(staff_page) == masked()


def test_template_filters_give_the_same_masks():
    template = Template(
        "{% load feedback_tags %}{{ p.name|masked_name }} {{ p.phone|masked_phone }} "
        "{{ p.email|masked_email }}"
    )
    rendered = template.render(Context({"p": PERSON}))
    assert rendered == " ".join(MASKED[field] for field in ALL)


def test_exports_show_the_same_masks(staff, signup, feedback):
    feedback_export = FeedbackExporter(user=staff)
    headers = feedback_export.headers()
    (row,) = list(feedback_export.rows())
    contact = {
        field: row[headers.index(label)]
        for field, label in zip(ALL, ("姓名", "手机号", "电子邮箱"), strict=True)
    }
    attendees = AttendeeExporter(user=staff, session=signup.session)
    (attendee,) = list(attendees.rows())
    assert contact == MASKED
    assert attendee[1:3] == [MASKED["name"], MASKED["phone"]]


def test_personal_data_in_free_text_is_masked_like_the_contact_fields(staff, submit):
    comment = f"请{PERSON['name']}致电 {PERSON['phone']} 或发邮件到 {PERSON['email']} 联系我"
    feedback = submit(kind="complaint", wants_reply=True, consent=True, comment=comment,
                      **PERSON)
    exporter = FeedbackExporter(user=staff)
    (row,) = list(exporter.rows())
    exported = row[exporter.headers().index("评价内容")]
    assert shown(feedback.public_comment) == masked()
    assert shown(exported) == masked()
