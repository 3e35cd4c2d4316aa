"""The background task of the ingestion (django-tasks).

Queued by ``manage.py ingest_sources`` (e.g. every 30 minutes from cron) and run by
``manage.py db_worker`` with the database backend; run at once with the immediate
backend (development, tests).
"""

from django_tasks import task

from .run import ingest_all


@task()
def ingest_sources() -> dict[str, int]:
    """Ingest every active source; the result sums up the run (JSON, for the task log)."""
    reports = ingest_all()
    return {
        "sources": len(reports),
        "failed": sum(1 for report in reports if report.status == "error"),
        "new": sum(report.new for report in reports),
        "duplicates": sum(report.duplicates for report in reports),
    }
