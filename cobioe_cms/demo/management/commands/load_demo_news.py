from django.core.management.base import BaseCommand, CommandError

from ...installed import require_app
from ...site_setup import SetupError, default_site_root, ensure_portal_home, find_page

MAX_COUNT = 1000  # items are created page by page: a demo needs dozens, not thousands


class Command(BaseCommand):
    help = (
        "Create the news section (unless the site has one: under the default Site's root "
        "page or --parent) and N synthetic news items (deterministic for a seed), linked "
        "to demo actors and topics. Idempotent: does nothing when the section already "
        "has demo news."
    )

    def add_arguments(self, parser):
        placement = parser.add_mutually_exclusive_group()
        placement.add_argument(
            "--parent",
            help="page to add the news section under: an id or a URL path such as /about/ "
            "(default: the default Site's root page)",
        )
        placement.add_argument(
            "--site-root",
            action="store_true",
            help="add it under the portal's home page, made the default Site's root",
        )
        parser.add_argument("--count", type=int, default=30, help="synthetic news items")
        parser.add_argument("--seed", type=int, default=1, help="random seed")

    def handle(self, *args, **options):
        require_app("cobioe_cms.news")
        from cobioe_cms.news.demo import ensure_news, generate_news
        from cobioe_cms.news.models import NewsIndexPage, NewsPage

        count = options["count"]
        if not 0 <= count <= MAX_COUNT:
            raise CommandError(f"--count must be between 0 and {MAX_COUNT}.")
        index = NewsIndexPage.objects.order_by("path").first()
        if index is None:
            try:
                if options["site_root"]:
                    parent = ensure_portal_home()
                elif options["parent"]:
                    parent = find_page(options["parent"])
                else:
                    parent = default_site_root()
            except SetupError as error:
                raise CommandError(str(error)) from error
            index = ensure_news(parent)
        existing = NewsPage.objects.child_of(index).filter(is_demo=True).count()
        if existing:
            self.stdout.write(f"Demo news: {existing} already loaded, nothing to do.")
            return
        generate_news(index, count, options["seed"])
        self.stdout.write(f"Demo news: {count} generated (seed {options['seed']}).")
