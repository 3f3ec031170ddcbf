"""Applications to become a service experience officer (我是服务体验官) and their review."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import notifications
from ..models import Activity, OfficerApplication, OfficerQuota, Region
from .audit import audit_record
from .common import check_window, personal_fields
from .errors import AlreadySignedUp, NotBookable, SignupError


def _already_applied() -> AlreadySignedUp:
    return AlreadySignedUp(
        _("这个手机号已经提交过报名。如需查看或撤回，请前往“我的报名”。"), code="duplicate",
        field="phone",
    )


def application_submit(
    *,
    activity: Activity,
    name: str,
    phone: str,
    email: str = "",
    is_customer: bool = True,
    birth_year: int,
    region: Region,
    occupation: str,
    services=(),
    tenure: str = "",
    theme=None,
    participation: str,
    motivation: str,
    code_accepted: bool,
    language: str = "zh-hans",
    now: datetime.datetime | None = None,
) -> OfficerApplication:
    now = now or timezone.now()
    try:
        return _application_submit(
            activity=activity, name=name, phone=phone, email=email, is_customer=is_customer,
            birth_year=birth_year, region=region, occupation=occupation, services=services,
            tenure=tenure, theme=theme, participation=participation, motivation=motivation,
            code_accepted=code_accepted, language=language, now=now,
        )
    except IntegrityError:
        if OfficerApplication.objects.filter(activity=activity, phone=phone).exclude(
            status=OfficerApplication.Status.WITHDRAWN
        ).exists():
            raise _already_applied() from None
        raise


@transaction.atomic
def _application_submit(*, activity, name, phone, email, is_customer, birth_year, region,
                        occupation, services, tenure, theme, participation, motivation,
                        code_accepted, language, now) -> OfficerApplication:
    if activity.kind != Activity.Kind.OFFICER:
        raise NotBookable(_("该活动不接受体验官报名。"), code="wrong_kind")
    check_window(activity, now)
    if not code_accepted:
        raise SignupError(_("请阅读并接受服务体验官守则。"), code="code")
    age = timezone.localdate(now).year - birth_year
    if not OfficerApplication.MIN_AGE <= age <= OfficerApplication.MAX_AGE:
        raise SignupError(_("服务体验官须年满18周岁、不超过65周岁。"), code="age")
    if not activity.quotas.filter(region=region).exists():
        raise SignupError(_("该城市暂不招募服务体验官。"), code="city")
    if OfficerApplication.objects.filter(activity=activity, phone=phone).exclude(
        status=OfficerApplication.Status.WITHDRAWN
    ).exists():
        raise _already_applied()
    # The link token is made again when the email is sent (notifications.py).
    fields, _token = personal_fields(
        name=name, phone=phone, email=email, language=language, now=now
    )
    application = OfficerApplication.objects.create(
        activity=activity,
        is_customer=is_customer,
        birth_year=birth_year,
        region=region,
        occupation=occupation,
        tenure=tenure,
        theme=theme,
        participation=participation,
        motivation=motivation,
        code_accepted_at=now,
        **fields,
    )
    application.services.set(services)
    audit_record(target=application, action="application.submit",
                 to_state=application.status, at=now)
    notifications.application_submitted(application)
    return application


@transaction.atomic
def application_review(*, application: OfficerApplication, reviewer, status: str,
                       reason: str = "", now=None) -> OfficerApplication:
    """录用 / 未录用 / 候补, with a recorded reason; acceptance respects the city's quota."""
    now = now or timezone.now()
    application = OfficerApplication.objects.select_for_update().get(pk=application.pk)
    reason = (reason or "").strip()
    if status not in OfficerApplication.DECISIONS:
        raise SignupError(_("无效的审核结果。"), code="invalid")
    if application.status == OfficerApplication.Status.WITHDRAWN:
        raise SignupError(_("报名人已撤回，无法审核。"), code="withdrawn")
    if application.status == status:
        raise SignupError(_("该报名已经是这个状态。"), code="unchanged")
    if status != OfficerApplication.Status.ACCEPTED and not reason:
        raise SignupError(_("请填写原因（未录用和候补必须说明原因）。"), code="reason")
    if status == OfficerApplication.Status.ACCEPTED:
        quota = (
            OfficerQuota.objects.select_for_update()
            .filter(activity_id=application.activity_id, region=application.region_id)
            .first()
        )
        accepted = OfficerApplication.objects.filter(
            activity_id=application.activity_id,
            region=application.region_id,
            status=OfficerApplication.Status.ACCEPTED,
        ).count()
        if quota is None or accepted >= quota.places:
            raise SignupError(
                _("%(city)s的名额已满（%(places)d 名）。") % {
                    "city": application.city, "places": quota.places if quota else 0
                },
                code="quota",
            )
        reason = reason or _("符合招募条件，予以录用。")
    previous = application.status
    application.status = status
    application.review_reason = reason
    application.reviewed_by = reviewer
    application.reviewed_at = now
    application.save(update_fields=["status", "review_reason", "reviewed_by", "reviewed_at"])
    audit_record(target=application, action="application.review", actor=reviewer,
                 from_state=previous, to_state=status, reason=reason, at=now)
    notifications.application_reviewed(application)
    return application


def can_withdraw(application: OfficerApplication) -> bool:
    return application.status in OfficerApplication.WITHDRAWABLE


@transaction.atomic
def application_withdraw(*, application: OfficerApplication, actor=None, reason: str = "",
                         now=None) -> OfficerApplication:
    """The applicant (or staff for them) withdraws; a decided rejection cannot be withdrawn,
    so a rejected number cannot apply again in the same window."""
    now = now or timezone.now()
    application = OfficerApplication.objects.select_for_update().get(pk=application.pk)
    if application.status == OfficerApplication.Status.WITHDRAWN:
        raise SignupError(_("该报名已撤回。"), code="withdrawn")
    if not can_withdraw(application):
        raise SignupError(_("该报名已审核为未录用，无法撤回。"), code="not_withdrawable")
    previous = application.status
    application.status = OfficerApplication.Status.WITHDRAWN
    application.save(update_fields=["status"])
    audit_record(target=application, action="application.withdraw", actor=actor,
                 from_state=previous, to_state=application.status, reason=reason, at=now)
    return application
