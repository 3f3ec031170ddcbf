"""`/metrics` for Prometheus: the requests (config/observability.py) and the campaign's figures.

The campaign's figures are counted at scrape time, each by one aggregate query on an indexed
or small table, and kept 10 s in the cache so that several scrapers cost one count:

| metric | labels | what |
| --- | --- | --- |
| `campaign_signups` | `status` | signups by status (`waitlisted` = the waiting lists) |
| `campaign_feedback` | `kind` | feedback by kind (praise, suggestion, complaint) |
| `campaign_cases_overdue` | `kind` | open cases past their first-reply deadline (48 h) |
| `campaign_task_queue_depth` | `state` | tasks `ready` (due), `deferred` (retries), `running` |
| `campaign_task_failed_runs` | `task` | failed task runs still stored (each failed attempt) |
| `campaign_notifications_failed` | — | emails/SMS given up after the last retry |
| `campaign_deliveries` | `channel` | messages sent in the last 7 days (the delivery ledger) |

Only the addresses in `CAMPAIGN_METRICS_ALLOWED_IPS` or a scraper with the bearer token
`CAMPAIGN_METRICS_TOKEN` get it; anyone else a 404. Names, numbers and texts never appear.
"""

import os

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from campaigns.clock import overdue_q
from campaigns.models import ReceptionCase, Signup
from config.observability import metrics_allowed
from config.operations.models import Delivery
from config.tasks import max_attempts
from feedback.models import Feedback
from feedback.selectors import overdue_feedback_q

CACHE_KEY = "metrics:campaign:v1"
CACHE_SECONDS = 10
# The tasks that send an email or a text message.
SENDING_TASKS = (
    "campaigns.sms.delivery.send_sms",
    "campaigns.notifications.send_notification",
    "feedback.notifications.notify_customer",
    "feedback.notifications.alert_overdue",
)


def _by(queryset, field: str) -> dict[str, int]:
    return {
        row[field]: row["n"]
        for row in queryset.order_by().values(field).annotate(n=Count("pk"))
    }


def campaign_figures(now=None) -> dict:
    """The figures, as plain data (what the cache keeps)."""
    now = now or timezone.now()
    figures = {
        "signups": _by(Signup.objects.all(), "status"),
        "feedback": _by(Feedback.objects.all(), "kind"),
        "overdue": {
            "feedback": Feedback.objects.filter(overdue_feedback_q(now)).count(),
            "reception": ReceptionCase.objects.filter(overdue_q(ReceptionCase, now)).count(),
        },
        "deliveries": _by(Delivery.objects.all(), "channel"),
    }
    backend = settings.TASKS["default"]["BACKEND"]
    if backend == "django_tasks_db.DatabaseBackend":
        tasks = DBTaskResult.objects.order_by()
        due = Q(run_after=get_date_max()) | Q(run_after__lte=now)
        figures["queue"] = tasks.aggregate(
            ready=Count("pk", filter=Q(status=TaskResultStatus.READY) & due),
            deferred=Count("pk", filter=Q(status=TaskResultStatus.READY) & ~due),
            running=Count("pk", filter=Q(status=TaskResultStatus.RUNNING)),
        )
        failed = tasks.filter(status=TaskResultStatus.FAILED)
        figures["failed_runs"] = {
            path.rsplit(".", 1)[-1]: n for path, n in
            failed.values_list("task_path").annotate(n=Count("pk"))
        }
        figures["notifications_failed"] = failed.filter(
            task_path__in=SENDING_TASKS, args_kwargs__kwargs__attempt__gte=max_attempts(),
        ).count()
    elif backend == "django_tasks_rq.RQBackend":
        figures.update(_rq_figures())
    else:  # the immediate backend (tests) queues nothing
        figures.update({"queue": {}, "failed_runs": {}, "notifications_failed": 0})
    return figures


def _rq_figures() -> dict:
    import django_rq  # installed with CAMPAIGN_TASKS_BACKEND=rq only

    queue = django_rq.get_queue("default")
    return {
        "queue": {
            "ready": queue.count,
            "deferred": queue.scheduled_job_registry.count,
            "running": queue.started_job_registry.count,
        },
        "failed_runs": {"all": queue.failed_job_registry.count},
        "notifications_failed": queue.failed_job_registry.count,
    }


def _gauge(name, documentation, labels, values: dict):
    family = GaugeMetricFamily(name, documentation, labels=labels)
    for label, value in sorted(values.items()):
        family.add_metric([str(label)], value)
    return family


class CampaignCollector:
    def __init__(self, figures: dict):
        self.figures = figures

    def collect(self):
        f = self.figures
        yield _gauge("campaign_signups", "Signups by status.", ["status"], f["signups"])
        yield _gauge("campaign_feedback", "Feedback by kind.", ["kind"], f["feedback"])
        yield _gauge("campaign_cases_overdue",
                     "Open cases past their first-reply deadline.", ["kind"], f["overdue"])
        yield _gauge("campaign_task_queue_depth", "Background tasks by state.", ["state"],
                     f["queue"])
        yield _gauge("campaign_task_failed_runs", "Failed task runs stored, by task.",
                     ["task"], f["failed_runs"])
        yield GaugeMetricFamily("campaign_notifications_failed",
                                "Emails and SMS given up after the last retry.",
                                value=f["notifications_failed"])
        yield _gauge("campaign_deliveries", "Messages sent (last 7 days), by channel.",
                     ["channel"], f["deliveries"])


def cached_figures() -> dict:
    figures = cache.get(CACHE_KEY)
    if figures is None:
        figures = campaign_figures()
        cache.set(CACHE_KEY, figures, CACHE_SECONDS)
    return figures


@require_GET
@never_cache
def metrics(request):
    if not metrics_allowed(request):
        raise Http404
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        requests = CollectorRegistry()
        MultiProcessCollector(requests)
    else:
        requests = REGISTRY
    campaign = CollectorRegistry()
    campaign.register(CampaignCollector(cached_figures()))
    body = generate_latest(requests) + generate_latest(campaign)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
