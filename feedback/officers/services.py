"""Every write of the officer programme, one transaction each, audited.

- `task_publish`: a task staff prepared goes live; each officer it targets gets an SMS.
- `report_save`: an officer's report and its images, saved as they are (nothing typed or
  uploaded is lost when it is not complete yet); refused outside the task's window, for
  someone it does not target, past the per-officer number, or once staff reviewed it.
- `report_submit`: a complete report goes to review.
- `report_review`: 采纳 (the task's points are awarded) or 退回修改 with a comment (SMS).
- `report_case_open` / `report_case_reply`: a report's 问题 becomes a case with the 48-hour
  first-reply clock (campaigns.clock); the reply is texted to the officer.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.clock import reply_due_at
from campaigns.models import OfficerApplication
from campaigns.refcodes import generate_code
from campaigns.services.audit import audit_record
from campaigns.services.errors import DomainError

from .images import IMAGE_FIELD, clean_image
from .models import MAX_IMAGES, Certificate, ExperienceReport, ExperienceTask, ReportImage
from .notifications import case_replied, report_returned, task_opened
from .selectors import certificate_standing, targets, task_targets


class OfficerError(DomainError):
    """A rule of the officer programme said no."""


@transaction.atomic
def task_publish(*, task: ExperienceTask, actor, now=None) -> ExperienceTask:
    now = now or timezone.now()
    task = ExperienceTask.objects.select_for_update().get(pk=task.pk)
    if task.published_at is not None:
        raise OfficerError(_("这个任务已经发布。"), code="published")
    task.full_clean(validate_unique=False)
    task.published_at = now
    task.save(update_fields=["published_at"])
    audit_record(target=task, action="officer_task.publish", actor=actor, at=now)
    opens_at = task.opens_at if task.opens_at > now else None
    for officer_id in task_targets(task).values_list("pk", flat=True):
        task_opened(officer_id, opens_at=opens_at)
    return task


def _check_can_report(task, officer, now) -> None:
    if officer.status != OfficerApplication.Status.ACCEPTED or officer.erased_at:
        raise OfficerError(_("只有已录用的服务体验官可以提交体验报告。"), code="not_officer")
    if not task.is_open(now):
        raise OfficerError(_("这个任务不在开放时间内。"), code="closed")
    if officer.activity_id != task.programme_id or not targets(task, officer):
        raise OfficerError(_("这个任务不面向您。"), code="not_targeted")


def _check_scores(task, scores: dict) -> dict:
    errors = {}
    clean = {}
    for key in task.dimensions:
        value = scores.get(key)
        if value is not None and not 1 <= int(value) <= 10:
            errors[key] = OfficerError(_("评分为1到10分，或选择“未体验”。"), code="range")
        clean[key] = None if value is None else int(value)
    if errors:
        raise OfficerError(errors, code="invalid")
    return clean


@transaction.atomic
def report_save(*, task: ExperienceTask, officer: OfficerApplication, data: dict,
                images=(), report: ExperienceReport | None = None,
                now=None) -> ExperienceReport:
    """Create or change the officer's report (its status stays; a new one is a draft).
    `data` holds scores (dimension → 1–10 or None), highlights, problems, suggestions, place
    and experienced_at, already cleaned by the form; `images` are new uploads, kept with it."""
    now = now or timezone.now()
    _check_can_report(task, officer, now)
    if report is None:
        taken = ExperienceReport.objects.filter(task=task, officer=officer).count()
        if taken >= task.reports_per_officer:
            raise OfficerError(
                _("这个任务每人最多提交%(n)d篇报告。") % {"n": task.reports_per_officer},
                code="limit",
            )
        report = ExperienceReport(task=task, officer=officer, created_at=now)
    else:
        report = _editable(report, officer)
    report.scores = _check_scores(task, data.get("scores") or {})
    for field in ("highlights", "problems", "suggestions", "place"):
        setattr(report, field, data.get(field) or "")
    report.experienced_at = data.get("experienced_at")
    kept = report.images.count() if report.pk else 0
    if kept + len(images) > MAX_IMAGES:
        raise OfficerError(_("每篇报告最多%(n)d张图片。") % {"n": MAX_IMAGES}, code="too_many",
                           field=IMAGE_FIELD)
    cleaned = [clean_image(upload) for upload in images]
    report.updated_at = now
    report.save()
    for image in cleaned:
        ReportImage.objects.create(report=report, content_type=image.content_type,
                                   width=image.width, height=image.height,
                                   file=image.content, created_at=now)
    audit_record(target=report, action="officer_report.save", to_state=report.status,
                 changes={"images_added": len(cleaned)} if cleaned else None, at=now)
    return report


def _editable(report: ExperienceReport, officer: OfficerApplication) -> ExperienceReport:
    report = ExperienceReport.objects.select_for_update().get(pk=report.pk, officer=officer)
    if not report.is_editable:
        raise OfficerError(_("报告已经审核，不能再修改。"), code="reviewed")
    return report


@transaction.atomic
def report_submit(*, report: ExperienceReport, officer: OfficerApplication,
                  now=None) -> ExperienceReport:
    """Send a saved report for review (again, after 退回修改); it must be complete."""
    now = now or timezone.now()
    report = _editable(report, officer)
    _check_can_report(report.task, officer, now)
    _check_complete(report.task, report, report.images.count())
    from_status = report.status
    report.status = ExperienceReport.Status.SUBMITTED
    report.submitted_at = now
    report.updated_at = now
    report.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_record(target=report, action="officer_report.submit", from_state=from_status,
                 to_state=report.status, at=now)
    return report


def _check_complete(task, report, image_count: int) -> None:
    errors = {}
    if not any(report.scores.get(key) for key in task.dimensions):
        errors["scores"] = OfficerError(_("请至少为一个维度打分。"), code="no_scores")
    if not (report.highlights or report.problems or report.suggestions):
        errors["highlights"] = OfficerError(_("请至少写下一条亮点、问题或建议。"),
                                            code="no_findings")
    if task.evidence == ExperienceTask.Evidence.REQUIRED and image_count == 0:
        errors[IMAGE_FIELD] = OfficerError(_("这个任务需要上传至少一张照片或截图。"),
                                           code="no_image")
    if errors:
        raise OfficerError(errors, code="incomplete")


@transaction.atomic
def report_review(*, report: ExperienceReport, reviewer, accept: bool, comment: str = "",
                  featured: bool = False, now=None) -> ExperienceReport:
    now = now or timezone.now()
    report = ExperienceReport.objects.select_for_update().select_related("task").get(
        pk=report.pk
    )
    if report.status != ExperienceReport.Status.SUBMITTED:
        raise OfficerError(_("只能审核待审核的报告。"), code="not_submitted")
    comment = (comment or "").strip()
    if not accept and not comment:
        raise OfficerError(_("退回修改时请写明需要补充或修改的内容。"), code="required",
                           field="comment")
    from_status = report.status
    report.status = (ExperienceReport.Status.ACCEPTED if accept
                     else ExperienceReport.Status.RETURNED)
    report.points_awarded = report.task.points if accept else 0
    report.featured = accept and featured
    report.review_comment = comment
    report.reviewed_by = reviewer
    report.reviewed_at = now
    report.save()
    audit_record(target=report, action="officer_report.review", actor=reviewer,
                 from_state=from_status, to_state=report.status, reason=comment, at=now)
    if not accept:
        report_returned(report.pk)
    return report


@transaction.atomic
def report_case_open(*, report: ExperienceReport, actor, now=None) -> ExperienceReport:
    now = now or timezone.now()
    report = ExperienceReport.objects.select_for_update().get(pk=report.pk)
    if report.is_case:
        raise OfficerError(_("这篇报告的问题已经转为工单。"), code="already")
    if report.status not in (ExperienceReport.Status.SUBMITTED,
                             ExperienceReport.Status.ACCEPTED):
        raise OfficerError(_("只有已提交的报告可以转为工单。"), code="not_submitted")
    if not report.problems.strip():
        raise OfficerError(_("这篇报告没有写问题，无需转为工单。"), code="no_problem")
    report.case_opened_at = now
    report.case_due_at = reply_due_at(now)
    report.save(update_fields=["case_opened_at", "case_due_at"])
    audit_record(target=report, action="officer_report.case_open", actor=actor, at=now)
    return report


@transaction.atomic
def report_case_reply(*, report: ExperienceReport, actor, body: str,
                      now=None) -> ExperienceReport:
    """Answer the officer about their 问题; the first answer stops the 48-hour clock."""
    now = now or timezone.now()
    report = ExperienceReport.objects.select_for_update().get(pk=report.pk)
    if not report.is_case:
        raise OfficerError(_("这篇报告的问题还没有转为工单。"), code="not_a_case")
    body = (body or "").strip()
    if not body:
        raise OfficerError(_("请填写答复内容。"), code="required", field="body")
    report.case_reply = body
    report.case_replied_at = report.case_replied_at or now
    report.save(update_fields=["case_reply", "case_replied_at"])
    audit_record(target=report, action="officer_report.case_reply", actor=actor, at=now)
    case_replied(report.pk)
    return report


@transaction.atomic
def certificate_issue(*, officer: OfficerApplication, now=None) -> Certificate:
    """The officer's certificate, issued the first time it is asked for once earned."""
    now = now or timezone.now()
    existing = Certificate.objects.filter(officer=officer).first()
    if existing is not None:
        return existing
    standing = certificate_standing(officer, now=now)
    if not standing.earned:
        raise OfficerError(standing.reason, code="not_earned")
    certificate = Certificate.objects.create(
        officer=officer, code=generate_code(10), reports=standing.accepted,
        points=standing.points, issued_at=now,
    )
    audit_record(target=officer, action="officer_certificate.issue", at=now)
    return certificate
