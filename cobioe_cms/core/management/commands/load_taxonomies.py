from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cobioe_cms.core.taxonomy_loader import TAXONOMIES_FILE, load_taxonomies


class Command(BaseCommand):
    help = "Create the taxonomy terms of a JSON file that do not exist yet (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            default=str(TAXONOMIES_FILE),
            help="JSON file of taxonomies (default: the ones the extension ships)",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No taxonomy file at {path}")
        created = load_taxonomies(path)
        total = sum(created.values())
        self.stdout.write(f"Taxonomies: {total} new terms ({created}).")
