from django import template
from django.utils import timezone

from feedback.clock import case_clock as _case_clock

register = template.Library()


@register.simple_tag
def case_clock(feedback, now=None):
    """`{% case_clock feedback now as clock %}` → clock.state, clock.label, clock.is_overdue."""
    return _case_clock(feedback, now or timezone.now())


@register.filter
def score_average(value):
    """4.567 → '4.6'; None → ''."""
    if value is None:
        return ""
    return f"{value:.1f}"


@register.filter
def masked_name(value):
    """'王小明' → '王**' (staff without campaigns.view_personal_data)."""
    from campaigns.phone import mask_name

    return mask_name(value)


@register.filter
def masked_phone(value):
    """'13812345678' → '138****5678'."""
    from campaigns.phone import mask_phone

    return mask_phone(value)


@register.filter
def masked_email(value):
    """'wang@example.com' → 'w***@example.com'."""
    from feedback.text import mask_email

    return mask_email(value) if value else ""
