from django.core.management.base import BaseCommand

from ...ingest.run import ingest_all
from ...ingest.tasks import ingest_sources


class Command(BaseCommand):
    help = (
        "Queue the ingestion of the active watch sources (run it every 30 minutes, e.g. "
        "from cron; a `manage.py db_worker` process runs it). --now ingests at once and "
        "prints what each source gave."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="Ingest now, in this process, with a report."
        )

    def handle(self, *args, **options):
        if not options["now"]:
            result = ingest_sources.enqueue()
            self.stdout.write(f"Ingestion task {result.id}: {result.status}.")
            return
        reports = ingest_all()
        for report in reports:
            line = str(report)
            self.stdout.write(self.style.ERROR(line) if report.status == "error" else line)
        failed = sum(1 for report in reports if report.status == "error")
        new = sum(report.new for report in reports)
        self.stdout.write(f"{len(reports)} sources, {new} new items, {failed} failed.")
