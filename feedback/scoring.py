"""How ratings count: the one home of the scoring rules every page, report and export uses.

- Counted ratings: every feedback except rejected ones (spam, abuse), so that moderation can
  never improve a score by leaving unfavourable ratings unpublished.
- Score bands of the overall satisfaction (1–10) and the Net Promoter Score from the
  recommendation (0–10): promoters 9–10, passives 7–8, detractors 0–6.
- A case (48-hour first-reply clock) opens for every complaint and any overall score at or
  below CASE_SCORE_THRESHOLD.
"""

from django.db.models import BooleanField, Case, Q, Value, When

from .models import Feedback

COUNTED = ~Q(state=Feedback.State.REJECTED)

SCORE_BANDS = {
    "low": (1, 6),
    "mid": (7, 8),
    "high": (9, 10),
}
PROMOTER_MIN = 9
DETRACTOR_MAX = 6
CASE_SCORE_THRESHOLD = 6

PROMOTERS = Q(recommend_score__gte=PROMOTER_MIN)
PASSIVES = Q(recommend_score__gt=DETRACTOR_MAX, recommend_score__lt=PROMOTER_MIN)
DETRACTORS = Q(recommend_score__lte=DETRACTOR_MAX)


def counted_expression() -> Case:
    """COUNTED as a column (True/False), for grouping rows into counted and rejected."""
    return Case(When(COUNTED, then=Value(True)), default=Value(False),
                output_field=BooleanField())


def nps(*, promoters: int, detractors: int, ratings: int) -> int | None:
    """Net Promoter Score: % promoters − % detractors, from −100 to 100 (None: no ratings)."""
    if not ratings:
        return None
    return round(100 * (promoters - detractors) / ratings)


def percent(part: int, whole: int) -> float | None:
    """`part` as a percentage of `whole`, one decimal (None when `whole` is 0)."""
    return round(100 * part / whole, 1) if whole else None


def opens_case(*, kind: str, overall_score: int) -> bool:
    return kind == Feedback.Kind.COMPLAINT or overall_score <= CASE_SCORE_THRESHOLD
