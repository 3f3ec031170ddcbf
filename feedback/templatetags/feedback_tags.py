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
