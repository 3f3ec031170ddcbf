"""Signups for sessions: places, the waiting list, cancellation and attendance.

`Session.places_taken` is written here and nowhere else, always with a conditional UPDATE
in the same transaction as the signup row, so that a session is never overbooked even when
many people press the button at once (the check constraint is the backstop).
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import notifications
from ..clock import reply_due_at
from ..models import Activity, ReceptionCase, Session, Signup
from ..public_cache import public_pages_changed
from .audit import audit_record
from .common import check_window, personal_fields
from .errors import AlreadySignedUp, NotBookable, SessionFull, SignupError


def _take_places(session_id: int, places: int) -> bool:
    """Atomically take `places` if they are free; True when taken."""
    taken = Session.objects.filter(
        pk=session_id, places_taken__lte=F("capacity") - places
    ).update(places_taken=F("places_taken") + places)
    if taken:
        public_pages_changed()
    return bool(taken)


def _release_places(session_id: int, places: int) -> None:
    Session.objects.filter(pk=session_id).update(places_taken=F("places_taken") - places)
    public_pages_changed()


def _already_signed_up() -> AlreadySignedUp:
    return AlreadySignedUp(
        _("这个手机号已经报名了该场次。如需查看或取消，请前往“我的报名”。"), code="duplicate",
        field="phone",
    )


def signup_create(
    *,
    session: Session,
    name: str,
    phone: str,
    email: str = "",
    companions: int = 0,
    with_minors: bool = False,
    interests: str = "",
    accessibility_needs: str = "",
    rules_accepted: bool = False,
    reception: dict | None = None,
    language: str = "zh-hans",
    now: datetime.datetime | None = None,
) -> Signup:
    """Book places (or a place on the waiting list); the email with the link follows by task.

    `reception` holds the issue for a GM-reception slot (category, description, account,
    raised_with_10086, ticket_number, contact_mode, expected_outcome).
    """
    try:
        return _signup_create(
            session=session,
            name=name,
            phone=phone,
            email=email,
            companions=companions,
            with_minors=with_minors,
            interests=interests,
            accessibility_needs=accessibility_needs,
            rules_accepted=rules_accepted,
            reception=reception,
            language=language,
            now=now or timezone.now(),
        )
    except IntegrityError:
        # This phone already holds a place or a waiting position here (perhaps from a
        # request a moment earlier): the partial unique index refused the second row.
        if Signup.objects.filter(session=session, phone=phone, status__in=Signup.ACTIVE).exists():
            raise _already_signed_up() from None
        raise


@transaction.atomic
def _signup_create(*, session, name, phone, email, companions, with_minors, interests,
                   accessibility_needs, rules_accepted, reception, language, now) -> Signup:
    activity = session.activity
    if activity.kind not in Activity.SESSION_KINDS:
        raise NotBookable(_("该活动不按场次报名。"), code="wrong_kind")
    if session.starts_at <= now:
        raise NotBookable(_("该场次已开始或已结束，不能再报名。"), code="past")
    check_window(activity, now)
    is_reception = activity.kind == Activity.Kind.GM_RECEPTION
    if is_reception:
        companions, with_minors = 0, False
        if not reception:
            raise SignupError(_("请先说明您要反映的问题。"), code="no_issue")
    elif not rules_accepted:
        raise SignupError(_("请阅读并接受活动须知。"), code="rules")
    if not 0 <= companions <= Signup.MAX_COMPANIONS:
        raise SignupError(
            _("同行人数须在0到%(max)d人之间。") % {"max": Signup.MAX_COMPANIONS}, code="companions"
        )
    places = 1 + companions
    if places > session.capacity:
        raise SessionFull(
            _("该场次共 %(capacity)d 个名额，无法容纳 %(places)d 人。")
            % {"capacity": session.capacity, "places": places},
            code="too_many",
        )

    # The rows go in first (a second active signup of this phone fails here, on the
    # partial unique index); places are taken last, so that the session row, which every
    # signup to this session must lock, stays locked only until the commit right after.
    fields, _token = personal_fields(  # the link token is made again for the email
        name=name, phone=phone, email=email, language=language, now=now
    )
    signup = Signup.objects.create(
        session=session,
        status=Signup.Status.CONFIRMED,
        companions=companions,
        with_minors=with_minors,
        interests=interests,
        accessibility_needs=accessibility_needs,
        rules_accepted_at=now if rules_accepted else None,
        confirmed_at=now,
        **fields,
    )
    if is_reception:
        ReceptionCase.objects.create(
            signup=signup,
            first_reply_due_at=reply_due_at(now),
            **reception,
        )
    entry = audit_record(target=signup, action="signup.create", to_state=signup.status,
                         at=now, changes={"places": places})
    notifications.signup_created(signup)  # sent after the commit, with the final status
    if not _take_places(session.pk, places):
        _join_waitlist(signup, session, entry)
    return signup


def _join_waitlist(signup: Signup, session: Session, entry) -> None:
    """The session was full: serialise waiting-list joins on the session row, look again
    (someone may have cancelled meanwhile), then join the list or give up (SessionFull
    rolls the signup back)."""
    locked = Session.objects.select_for_update().get(pk=session.pk)
    if _take_places(session.pk, signup.places):
        return
    if not locked.waitlist_has_room():
        raise SessionFull(_("很抱歉，该场次已满。"), code="full")
    signup.status = Signup.Status.WAITLISTED
    signup.confirmed_at = None
    signup.save(update_fields=["status", "confirmed_at"])
    entry.to_state = signup.status
    entry.save(update_fields=["to_state"])
    public_pages_changed()  # the waiting list may now be full


def _lock(signup: Signup) -> tuple[Session, Signup]:
    """Lock the session row first, then the signup (the order signup_create uses)."""
    session = Session.objects.select_for_update().get(pk=signup.session_id)
    signup = Signup.objects.select_for_update().get(pk=signup.pk)
    signup.session = session
    return session, signup


def can_cancel(signup: Signup, *, by_staff: bool = False, now=None) -> bool:
    """Whether `signup_cancel` would accept it: a place or a waiting position, and (for the
    person themself) a session that has not started. Needs `signup.session` loaded."""
    if signup.status not in Signup.CANCELLABLE:
        return False
    return by_staff or signup.session.starts_at > (now or timezone.now())


@transaction.atomic
def signup_cancel(*, signup: Signup, actor=None, reason: str = "", now=None) -> Signup:
    """Cancel a place or leave the waiting list; a freed place goes to the waiting list.

    `actor` None means the person themself (self-service), who cannot cancel once the
    session has started.
    """
    now = now or timezone.now()
    session, signup = _lock(signup)
    if signup.status not in Signup.CANCELLABLE:
        raise SignupError(_("该报名当前状态无法取消。"), code="not_cancellable")
    if not can_cancel(signup, by_staff=actor is not None, now=now):
        raise SignupError(_("活动已开始，无法在线取消。"), code="started")
    previous = signup.status
    signup.status = Signup.Status.CANCELLED
    signup.cancelled_at = now
    signup.save(update_fields=["status", "cancelled_at"])
    if previous == Signup.Status.CONFIRMED:
        _release_places(session.pk, signup.places)
    else:
        public_pages_changed()  # one fewer waiting: the list may have room again
    audit_record(target=signup, action="signup.cancel", actor=actor, from_state=previous,
                 to_state=signup.status, reason=reason, at=now)
    notifications.signup_cancelled(signup, by_staff=actor is not None)
    if previous == Signup.Status.CONFIRMED:
        waitlist_promote(session=session, now=now)
    return signup


@transaction.atomic
def waitlist_promote(*, session: Session, actor=None, now=None) -> list[Signup]:
    """Give free places to the waiting list in order: each entry that fits, first come first.

    An entry bigger than the places free keeps its position and is promoted as soon as
    enough places are free; nobody is ever promoted ahead of an earlier entry that fits.
    """
    now = now or timezone.now()
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.starts_at <= now:
        return []
    free = session.capacity - session.places_taken
    promoted = []
    waiting = (
        Signup.objects.select_for_update()
        .filter(session=session, status=Signup.Status.WAITLISTED)
        .order_by("id")
    )
    for entry in waiting:
        if free <= 0:
            break
        if entry.places > free or not _take_places(session.pk, entry.places):
            continue
        entry.status = Signup.Status.CONFIRMED
        entry.confirmed_at = entry.promoted_at = now
        entry.save(update_fields=["status", "confirmed_at", "promoted_at"])
        audit_record(target=entry, action="signup.promote", actor=actor,
                     from_state=Signup.Status.WAITLISTED, to_state=entry.status, at=now)
        entry.session = session
        notifications.signup_promoted(entry)
        free -= entry.places
        promoted.append(entry)
    return promoted


@transaction.atomic
def signup_confirm(*, signup: Signup, actor, reason: str = "", now=None) -> Signup:
    """Staff confirm a waiting entry: only if places are free and it is next in line."""
    now = now or timezone.now()
    session, signup = _lock(signup)
    if signup.status != Signup.Status.WAITLISTED:
        raise SignupError(_("只有候补中的报名可以确认。"), code="not_waitlisted")
    free = session.capacity - session.places_taken
    ahead = Signup.objects.filter(
        session=session, status=Signup.Status.WAITLISTED, id__lt=signup.id
    )
    if any(entry.places <= free for entry in ahead):
        raise SignupError(_("排在前面的候补者优先，不能插队。"), code="queue")
    if not _take_places(session.pk, signup.places):
        raise SessionFull(_("该场次名额不足，无法确认。"), code="full")
    signup.status = Signup.Status.CONFIRMED
    signup.confirmed_at = signup.promoted_at = now
    signup.save(update_fields=["status", "confirmed_at", "promoted_at"])
    audit_record(target=signup, action="signup.confirm", actor=actor,
                 from_state=Signup.Status.WAITLISTED, to_state=signup.status, reason=reason,
                 at=now)
    notifications.signup_promoted(signup)
    return signup


@transaction.atomic
def signup_mark_attendance(*, signup: Signup, actor, attended: bool, reason: str = "",
                           now=None) -> Signup:
    """Record at the gate (or afterwards) whether a confirmed person came."""
    now = now or timezone.now()
    session, signup = _lock(signup)
    allowed = (Signup.Status.CONFIRMED, Signup.Status.ATTENDED, Signup.Status.NO_SHOW)
    if signup.status not in allowed:
        raise SignupError(_("只有报名成功的记录可以登记到场情况。"), code="not_confirmed")
    if timezone.localdate(now) < timezone.localdate(session.starts_at):
        raise SignupError(_("活动当天才能登记到场情况。"), code="too_early")
    new = Signup.Status.ATTENDED if attended else Signup.Status.NO_SHOW
    if new == signup.status:
        return signup
    previous = signup.status
    signup.status = new
    signup.save(update_fields=["status"])
    audit_record(target=signup, action="signup.attendance", actor=actor, from_state=previous,
                 to_state=new, reason=reason, at=now)
    return signup
