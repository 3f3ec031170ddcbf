"""What the feedback app shows on any page, campaign pages included: the case clock, ratings
of activities and a signup's feedback. The campaigns app never imports feedback; its
templates load these tags instead."""

from django import template
from django.db.models import QuerySet
from django.utils import timezone

from campaigns.masking import mask_email, mask_name, mask_personal_data, mask_phone
from feedback import selectors
from feedback.selectors import activity_rating, feedback_for_signup, with_rating_stats

register = template.Library()


@register.simple_tag
def case_clock(feedback, now=None):
    """`{% case_clock feedback now as clock %}` → clock.state, clock.label, clock.is_overdue."""
    return feedback.clock(now or timezone.now())


@register.simple_tag
def with_ratings(activities: QuerySet):
    """`{% with_ratings activities as activities %}`: the same (unevaluated) queryset with
    `rating_avg` and `rating_count` added to its one query."""
    return with_rating_stats(activities)


@register.simple_tag
def rated(activity):
    """`{% rated activity as activity %}`: one activity with `rating_avg` and `rating_count`
    (one query)."""
    activity.rating_avg, activity.rating_count = activity_rating(activity)
    return activity


@register.simple_tag
def signup_feedback(signup):
    """`{% signup_feedback record as feedback_list %}`: a verified participant's feedback."""
    return feedback_for_signup(signup)


@register.filter
def score_average(value):
    """4.567 → '4.6'; None → ''."""
    if value is None:
        return ""
    return f"{value:.1f}"


@register.filter
def masked_name(value):
    """'王小明' → '王**' (staff without campaigns.view_personal_data)."""
    return mask_name(value)


@register.filter
def masked_phone(value):
    """'13812345678' → '138****5678'."""
    return mask_phone(value)


@register.filter
def masked_email(value):
    """'wang@example.com' → 'w***@example.com'."""
    return mask_email(value)


@register.filter
def masked_text(value):
    """Free text with numbers, ID numbers and emails masked (staff pages that need no more)."""
    return mask_personal_data(value or "")


@register.simple_tag
def commitment_headline():
    """`{% commitment_headline as commitment %}`: the share of cases first answered within the
    deadline, all themes (one query)."""
    return selectors.commitment_headline(now=timezone.now())
