"""The attendee list of one session, for staff at the door."""

from collections.abc import Iterator

from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext as _

from campaigns.models import Session, Signup
from campaigns.refcodes import format_code

from .base import CHUNK_SIZE, Exporter, language_suffix, local


class AttendeeExporter(Exporter):
    name = "attendees"
    permissions = ("feedback.export_reports", "campaigns.change_signup")
    widths = (12, 10, 14, 10, 8, 10, 24, 24, 17, 10)

    def __init__(self, *, session: Session, **kwargs):
        super().__init__(**kwargs)
        self.session = session
        self.statuses = {value: str(label) for value, label in Signup.Status.choices}

    def title(self) -> str:
        return _("签到名单：%(session)s") % {"session": str(self.session)}

    def filename(self, fmt: str) -> str:
        return f"attendees-session{self.session.pk}{language_suffix(self.language)}.{fmt}"

    def audit_target(self):
        return self.session

    def audit_filters(self) -> dict:
        return {"session": self.session.pk}

    def headers(self) -> list[str]:
        return [
            _("报名编号"), _("姓名"), _("手机号码"), _("状态"), _("同行人数"),
            _("同行人中有未成年人"), _("无障碍需求"), _("关注内容"), _("提交时间"), _("签到"),
        ]

    def rows(self) -> Iterator[list]:
        status = Signup.Status
        rows = (
            Signup.objects.filter(session=self.session)
            .exclude(status=status.CANCELLED)
            .annotate(
                rank=Case(
                    When(status=status.WAITLISTED, then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            )
            .order_by("rank", "name", "id")
            .values_list(
                "reference", "name", "phone", "status", "companions", "with_minors",
                "accessibility_needs", "interests", "created_at",
            )
        )
        for (ref, name, phone, state, companions, minors, needs, interests,
             created) in rows.iterator(chunk_size=CHUNK_SIZE):
            name, phone, _email = self.person(name, phone)
            yield [
                format_code(ref), name, phone, self.statuses[state], companions,
                self.flag(minors), self.free_text(needs), self.free_text(interests),
                local(created), "",
            ]

    def summary(self) -> list[tuple[str, object]]:
        session = self.session
        return [
            (_("活动"), session.activity.title),
            (_("场次"), session.title),
            (_("开始时间"), local(session.starts_at)),
            (_("地点"), _("线上") if session.is_online else f"{session.city} {session.venue}"),
            (_("名额"), session.capacity),
            (_("已占名额"), session.places_taken),
        ]
