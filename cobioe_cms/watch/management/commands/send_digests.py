from django.core.management.base import BaseCommand, CommandError

from ...digests import send_digests


class Command(BaseCommand):
    help = (
        "Send the watch digests of a frequency (run daily for 'daily', weekly for "
        "'weekly'). Safe to re-run: members who got this period's digest are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("frequency", choices=["daily", "weekly"])

    def handle(self, *args, **options):
        try:
            stats = send_digests(options["frequency"])
        except KeyboardInterrupt as interrupted:
            raise CommandError("Interrupted; run again to finish this period.") from interrupted
        self.stdout.write(f"Digests ({options['frequency']}): {stats}")
