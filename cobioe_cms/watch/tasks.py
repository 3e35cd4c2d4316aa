"""Background work of the watch (django-tasks): digests."""

from django_tasks import task

from .digests import send_digests


@task()
def send_daily_digests() -> dict:
    return send_digests("daily")


@task()
def send_weekly_digests() -> dict:
    return send_digests("weekly")
