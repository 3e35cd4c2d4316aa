from django.core.management.base import BaseCommand

from ...opportunities import REMINDER_DAYS, send_reminders


class Command(BaseCommand):
    help = (
        f"E-mail the representatives of opportunities that expire within {REMINDER_DAYS} "
        "days, once per expiry date, with a one-click renewal link (run daily, e.g. "
        "from cron)."
    )

    def handle(self, *args, **options):
        opportunities, emails = send_reminders()
        self.stdout.write(f"Reminded {opportunities} opportunities ({emails} e-mails).")
