from django.core.management.base import BaseCommand, CommandError

from cobioe_cms.actors.site_setup import ensure_site

from ...demo import ensure_news, generate_news
from ...models import NewsPage

MAX_COUNT = 1000  # items are created page by page: a demo needs dozens, not thousands


class Command(BaseCommand):
    help = (
        "Create the news section and N synthetic news items (deterministic for a seed), "
        "linked to demo actors and topics. Idempotent: does nothing when the section "
        "already has demo news."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=30, help="synthetic news items")
        parser.add_argument("--seed", type=int, default=1, help="random seed")

    def handle(self, *args, **options):
        count = options["count"]
        if not 0 <= count <= MAX_COUNT:
            raise CommandError(f"--count must be between 0 and {MAX_COUNT}.")
        home, _cartography = ensure_site()
        index = ensure_news(home)
        existing = NewsPage.objects.child_of(index).filter(is_demo=True).count()
        if existing:
            self.stdout.write(f"Demo news: {existing} already loaded, nothing to do.")
            return
        generate_news(index, count, options["seed"])
        self.stdout.write(f"Demo news: {count} generated (seed {options['seed']}).")
