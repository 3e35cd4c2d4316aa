"""``manage.py search_rebuild [name ...]``: zero-downtime rebuild of the search indexes.

Exits 1 with a clear message when no cluster is configured or it cannot be reached, or
when another rebuild of the same index is running, so a deployment script notices.
"""

from django.core.management.base import BaseCommand, CommandError

from cobioe_cms.search import indexes
from cobioe_cms.search.health import check
from cobioe_cms.search.registry import registered_names


class Command(BaseCommand):
    help = "Rebuild search indexes into new versions and swap their aliases."

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help="index base names (default: all)")

    def handle(self, *args, names: list[str], **options):
        known = registered_names()
        unknown = [name for name in names if name not in known]
        if unknown:
            raise CommandError(
                f"Unknown index: {', '.join(unknown)}. Registered: {', '.join(known) or 'none'}."
            )
        health = check()
        if health["status"] == "not-configured":
            raise CommandError("No search cluster configured: set COBIOE_SEARCH['URL'].")
        if health["status"] != "ok":
            raise CommandError(f"Search cluster unavailable: {health['detail']}.")
        for name in names or known:
            try:
                result = indexes.rebuild(name)
            except indexes.RebuildInProgress as error:
                raise CommandError(f"{error}; try again when it has finished.") from None
            removed = f"; removed {', '.join(result.removed)}" if result.removed else ""
            self.stdout.write(
                f"{result.alias}: {result.indexed} documents in {result.index}{removed}"
            )
