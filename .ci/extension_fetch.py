"""Fetches the extension's pages in a site made by `wagtail start`; every one must be 200.

Run by .ci/extension_recipe.sh inside the site, after the recipe, the migrations and the
demo load: ``python manage.py shell --no-imports -c "$(cat .ci/extension_fetch.py)"``.

Checks that the site's own home page is still its root, with the cartography under it;
fetches the home page, the cartography, a profile, the map data and an export
(cobioe_cms.actors), the site search, the news, the working groups (the list, the demo
member's group and a demo thread of each public group) and the sign-in and sign-up pages
(when their apps are installed); signed in as load_demo_members' member, the dashboard,
the new-organisation form, the e-mail addresses, the watch, and in the group they
coordinate a thread, the new-thread form and the moderation page; then, signed in as the
superuser RECIPE_ADMIN (password DJANGO_SUPERUSER_PASSWORD), the Wagtail admin and every
screen of its menus (the extension's import, duplicates, profiles, vocabularies, claims,
watch sources, search status... and Wagtail's own). Every static file the pages name
must be found, and every app's name in French (the shipped translations are read).
Prints each URL with its status; exits 1 if any is not 200 or anything else is wrong.
"""

import os
import re
import sys
import traceback

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.test import Client, RequestFactory, override_settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from wagtail.admin.menu import SubmenuMenuItem, admin_menu, settings_menu
from wagtail.models import Site

STATIC_REFERENCE = re.compile(r'(?:src|href)="' + re.escape(settings.STATIC_URL) + r'([^"?#]+)')


def say(line):
    print(line)  # noqa: T201


def menu_urls(menu, request):
    urls = []
    for item in menu.menu_items_for_request(request):
        if isinstance(item, SubmenuMenuItem):
            urls += menu_urls(item.menu, request)
        elif item.url and item.url.startswith("/"):
            urls.append(item.url)
    return urls


def fetch(client, urls, failures, static_files):
    for url in urls:
        try:
            response = client.get(url)
            status = response.status_code
            if response.get("Content-Type", "").startswith("text/html"):
                static_files.update(STATIC_REFERENCE.findall(response.content.decode()))
        except Exception:  # noqa: BLE001 -- reported, and the run fails
            status = "exception\n" + traceback.format_exc(limit=-8)
        say(f"  {status}  {url}")
        if status != 200:
            failures.append(url)


def community_pages(failures):
    """(public URLs, the demo member's URLs) of the working groups load_demo made: the
    groups list, the group the demo member coordinates, one of its threads and a thread
    of each other public group; its new-thread form and moderation page."""
    from cobioe_cms.community.models import Thread, WorkingGroupIndexPage, WorkingGroupPage
    from cobioe_cms.demo.community import MEMBER_COORDINATES

    index = WorkingGroupIndexPage.objects.live().first()
    group = WorkingGroupPage.objects.live().filter(slug=MEMBER_COORDINATES).first()
    if index is None or group is None:
        failures.append("no live demo working groups (load_demo)")
        return [], []
    threads = Thread.objects.visible().in_public_groups().filter(is_demo=True)
    first_of_each = {}
    for thread in threads.order_by("group_id", "pk"):
        first_of_each.setdefault(thread.group_id, thread.get_absolute_url())
    if group.pk not in first_of_each:
        failures.append(f"no demo thread in the group {group.slug} (load_demo)")
    public = [index.url, group.url, *first_of_each.values()]
    member = [
        *first_of_each.values(),
        reverse("community:new_thread", args=[group.pk]),
        reverse("community:moderation", args=[group.pk]),
    ]
    return public, member


def main():
    from cobioe_cms.actors.models import ActorPage, CartographyPage

    failures = []
    static_files = set()

    root = Site.objects.get(is_default_site=True).root_page.specific
    cartography = CartographyPage.objects.live().first()
    actor = ActorPage.objects.live().first()
    say(f"The site's root page: {root._meta.label} {root.title!r}")
    if root._meta.label != "home.HomePage":
        failures.append("the site's own home page is no longer its root")
    if cartography is None or actor is None:
        say("No live cartography page or profile: load_demo did not add them.")
        sys.exit(1)
    if cartography.get_parent().pk != root.pk:
        failures.append("the cartography is not under the site's home page")

    public = [
        "/",
        cartography.url,
        actor.url,
        cartography.url + cartography.reverse_subpage("map_data"),
        cartography.url + cartography.reverse_subpage("export_csv"),
    ]
    if apps.is_installed("cobioe_cms.search"):
        public.append(reverse("cobioe_search:site_search") + "?q=bio")
    if apps.is_installed("cobioe_cms.news"):
        from cobioe_cms.news.models import NewsIndexPage

        news = NewsIndexPage.objects.live().first()
        if news is None:
            failures.append("no live news index page (load_demo_news)")
        else:
            public.append(news.url)
    community_member_pages = []
    if apps.is_installed("cobioe_cms.panorama"):
        from cobioe_cms.panorama.models import PanoramaPage

        panorama = PanoramaPage.objects.live().first()
        if panorama is None:
            failures.append("no live panorama page (load_demo)")
        else:
            public += [panorama.url, f"{panorama.url}?rows=country&cols=stage"]
        public += ["/api/v1/", "/api/v1/actors/", "/api/v1/statistics/", "/api/v1/schema/"]
        public += ["/api/v1/docs/", "/opendata/", "/sitemap.xml", "/robots.txt"]
    if apps.is_installed("cobioe_cms.community"):
        public_threads, community_member_pages = community_pages(failures)
        public += public_threads
    if apps.is_installed("allauth.account"):
        public += [reverse("account_login"), reverse("account_signup")]
    say("Public pages:")
    fetch(Client(), public, failures, static_files)
    if apps.is_installed("allauth.account"):
        # One login for everyone: Wagtail's sends to allauth's (docs/recipe/platform_urls.py).
        response = Client().get("/admin/login/", follow=True)
        landed = response.redirect_chain[-1][0] if response.redirect_chain else "/admin/login/"
        say(f"  {response.status_code}  /admin/login/ -> {landed}")
        if response.status_code != 200 or not landed.startswith(reverse("account_login")):
            failures.append("/admin/login/ does not lead to allauth's sign-in page")

    member_pages = []
    if apps.is_installed("cobioe_cms.members"):
        from cobioe_cms.demo.management.commands.load_demo_members import DEMO_MEMBER

        member = Client()
        if not member.login(username=DEMO_MEMBER[0], password=DEMO_MEMBER[1]):
            failures.append("the demo member cannot sign in (load_demo_members)")
        member_pages = [
            reverse("members:dashboard"),
            reverse("members:create_organisation"),
            reverse("account_email"),
        ]
        if apps.is_installed("cobioe_cms.watch"):
            member_pages += [reverse("watch:feed"), reverse("watch:interests")]
        member_pages += community_member_pages
        say("Signed in as the demo member:")
        fetch(member, member_pages, failures, static_files)

    client = Client()
    if not client.login(
        username=os.environ["RECIPE_ADMIN"], password=os.environ["DJANGO_SUPERUSER_PASSWORD"]
    ):
        say("The superuser cannot sign in.")
        sys.exit(1)
    request = RequestFactory().get("/admin/")
    request.user = get_user_model().objects.get(username=os.environ["RECIPE_ADMIN"])
    screens = ["/admin/", *menu_urls(admin_menu, request), *menu_urls(settings_menu, request)]
    # The extension's screens the menus must hold, and the member area.
    required = []
    if apps.is_installed("cobioe_cms.onboarding"):
        required += ["cobioe_actor_import:index", "cobioe_actor_import:duplicates"]
    if apps.is_installed("cobioe_cms.search"):
        required.append("cobioe_search_admin:status")
    for name in required:
        try:
            screens.append(reverse(name))
        except NoReverseMatch:
            failures.append(f"no URL named {name}")
    say("Signed in as the superuser:")
    fetch(client, list(dict.fromkeys(screens)), failures, static_files)

    # The shipped translations are read: every installed app's name exists in French
    # (but cobioe_demo's, which has no interface string and no catalogue: its commands
    # write to the operator's console, tests/core/test_catalogue.py).
    untranslated = []
    for config in apps.get_app_configs():
        if config.name.startswith("cobioe_cms.") and config.label != "cobioe_demo":
            with translation.override("en"):
                english = str(config.verbose_name)
            with translation.override("fr"):
                if str(config.verbose_name) == english:
                    untranslated.append(config.name)
    say(f"Apps of the extension without their French name: {untranslated or 'none'}")
    failures += [f"no French translation of {name}" for name in untranslated]

    missing = sorted(path for path in static_files if not finders.find(path))
    say(f"Static files the pages name: {len(static_files)}, not found: {len(missing)}")
    failures += [f"static file {path}" for path in missing]

    if failures:
        say(f"FAILED ({len(failures)}): {'; '.join(failures)}")
        sys.exit(1)
    say(f"All {len(public) + len(member_pages) + len(set(screens))} pages 200.")


with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
    main()
