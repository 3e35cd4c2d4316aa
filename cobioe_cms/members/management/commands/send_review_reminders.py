from django.core.management.base import BaseCommand

from ...tasks import send_review_reminders


class Command(BaseCommand):
    help = (
        "Queue the reminders to representatives of profiles not reviewed for 12 months "
        "(run daily, e.g. from cron; a `manage.py db_worker` process sends them)."
    )

    def handle(self, *args, **options):
        result = send_review_reminders.enqueue()
        self.stdout.write(f"Reminder task {result.id}: {result.status}.")
