#!/bin/sh
# The periodic jobs, by name: `deploy/jobs.sh NAME` runs one (systemd: campaign-job@NAME.service,
# started by campaign-job@NAME.timer; without systemd: deploy/crontab). Run from the checkout,
# with the environment of /etc/campaign/campaign.env.
set -eu
cd "$(dirname "$0")/.."
manage() { exec .venv/bin/python manage.py "$@"; }
case "${1:-}" in
  overdue)      manage feedback_overdue --notify ;;          # every 10 min: escalation ladder
  weekly)       manage send_weekly_reports ;;                # Monday 08:00: regional reports
  exports)      manage expire_exports ;;                     # hourly: export files past retention
  rollups)      manage rollup_feedback ;;                    # every 10 min: dashboard rollups
  recover)      manage recover_tasks ;;                      # every minute: dead workers' tasks, the outbox
  purge)        manage purge_personal_data ;;                # daily: personal data past retention
  axes)         manage axes_reset_logs --age 90 ;;           # daily: old login attempts
  prune-tasks)  manage prune_db_task_results --min-age-days 7 --failed-min-age-days 30 ;;  # daily
  *) echo "usage: $0 overdue|weekly|exports|rollups|recover|purge|axes|prune-tasks" >&2; exit 2 ;;
esac
