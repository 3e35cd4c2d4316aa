from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cobioe_cms.actors.exports import invalidate_cached_exports
from cobioe_cms.actors.models import ActorPage
from cobioe_cms.core.taxonomy_loader import load_taxonomies

from ...actors import generate_actors, remove_demo_actors
from ...site_setup import SetupError, ensure_site, find_page, load_consortium

DEMO_ADMIN = ("admin", "cobioe-demo-admin")
DEMO_ADMIN_EMAIL = "admin@example.org"


class Command(BaseCommand):
    help = (
        "Load demo content: taxonomies, the extension's pages (a cartography and a privacy "
        "page, added under the default Site's root page or --parent), the consortium's "
        "profiles and N synthetic actors (deterministic for a seed), demo working "
        "groups with their discussions when cobioe_cms.community is installed, and the "
        "panorama with demo coverage estimates when cobioe_cms.panorama is. "
        "Idempotent: run it again and it only completes what is missing."
    )

    def add_arguments(self, parser):
        placement = parser.add_mutually_exclusive_group()
        placement.add_argument(
            "--parent",
            help="page to add the pages under: an id or a URL path such as /about/ "
            "(default: the default Site's root page)",
        )
        placement.add_argument(
            "--site-root",
            action="store_true",
            help="make the portal's home page the default Site's root and add the pages "
            "under it (the reference site; replaces Wagtail's welcome page)",
        )
        parser.add_argument("--actors", type=int, default=300, help="synthetic actors")
        parser.add_argument("--seed", type=int, default=1, help="random seed")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="delete existing synthetic actors and generate them again",
        )
        parser.add_argument(
            "--with-admin",
            action="store_true",
            help=f"create the demo administrator '{DEMO_ADMIN[0]}' if missing",
        )

    def handle(self, *args, **options):
        if options["with_admin"] and not settings.DEBUG:
            # A superuser with a published password is a back door anywhere but on a
            # developer's machine (`make run` uses the dev settings, DEBUG on).
            raise CommandError(
                "--with-admin creates an administrator with a known password: it only "
                "runs with DEBUG on (development settings). Nothing was loaded."
            )
        count = options["actors"]
        if count < 0 or count > 200_000:
            raise CommandError("--actors must be between 0 and 200000.")
        try:
            parent = find_page(options["parent"]) if options["parent"] else None
            created = load_taxonomies()
            self.stdout.write(f"Taxonomies: {sum(created.values())} new terms.")
            parent, cartography = ensure_site(parent, site_root=options["site_root"])
        except SetupError as error:
            raise CommandError(str(error)) from error
        new = load_consortium(cartography)
        self.stdout.write(f"Consortium profiles: {new} new.")

        existing = ActorPage.objects.child_of(cartography).filter(is_demo=True).count()
        if existing and (options["replace"] or existing != count):
            removed = remove_demo_actors(cartography)
            self.stdout.write(f"Removed {removed} previous demo actors.")
            existing = 0
        if existing == count:
            self.stdout.write(f"Demo actors: {count} already loaded.")
        else:
            generate_actors(cartography, count, options["seed"])
            self.stdout.write(f"Demo actors: {count} generated (seed {options['seed']}).")

        invalidate_cached_exports()  # the bulk writes above send no publish signals

        if apps.is_installed("cobioe_cms.community"):
            self._load_groups(parent)

        if apps.is_installed("cobioe_cms.panorama"):
            self._load_panorama(parent, options["seed"])

        if options["with_admin"]:
            self._ensure_admin()

    def _load_panorama(self, parent, seed):
        from cobioe_cms.demo.panorama import ensure_estimates, ensure_panorama
        from cobioe_cms.panorama import statistics

        statistics.invalidate()  # the bulk writes above send no publish signals
        ensure_panorama(parent)
        self.stdout.write(f"Demo coverage estimates: {ensure_estimates(seed)} new.")

    def _load_groups(self, parent):
        from cobioe_cms.demo.community import ensure_groups, ensure_threads, place_demo_member
        from cobioe_cms.demo.opportunities import (
            ensure_board,
            ensure_opportunities,
            place_member_opportunity,
        )

        from .load_demo_members import DEMO_MEMBER

        _index, created = ensure_groups(parent)
        self.stdout.write(f"Demo working groups: {created} new.")
        self.stdout.write(f"Demo discussion threads: {ensure_threads()} new.")
        board = ensure_board(parent)
        self.stdout.write(f"Demo opportunities: {ensure_opportunities(board)} new.")
        member = get_user_model().objects.filter(email=DEMO_MEMBER[0]).first()
        if member is not None:  # otherwise load_demo_members places them
            place_demo_member(member)
            place_member_opportunity(member)

    def _ensure_admin(self):
        from allauth.account.models import EmailAddress

        user_model = get_user_model()
        username, password = DEMO_ADMIN
        user = user_model.objects.filter(username=username).first()
        if user is None:
            user = user_model.objects.create_superuser(username, DEMO_ADMIN_EMAIL, password)
        # Everyone signs in through allauth's login, which wants a verified address.
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo administrator: http://127.0.0.1:8000/admin/  "
                f"{user.email} / {password} (demo only)."
            )
        )
