"""Set-up commands add the extension's pages to a site as it is (issue 11): under the
default Site's root page or a page given, reusing what exists; only ``--site-root``
makes the portal's home page the Site's root, as the reference site wants."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Page, Site

from cobioe_cms.actors.models import ActorPage, CartographyPage
from cobioe_cms.core.models import ContentPage, PortalHomePage
from cobioe_cms.news.models import NewsIndexPage


@pytest.fixture
def own_site(db):
    """A site with a home page of its own at the default Site's root, and none of the
    extension's pages (those of the test database's skeleton are deleted)."""
    own_home = Page.get_first_root_node().add_child(
        instance=ContentPage(title="Our network", slug="our-network")
    )
    site = Site.objects.get(is_default_site=True)
    site.root_page = own_home
    site.save()
    PortalHomePage.objects.get().delete()
    return own_home


def run(*args, **options):
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_load_demo_adds_under_the_sites_own_home_page_without_replacing_it(own_site):
    run("load_demo", actors=3, seed=1)
    run("load_demo", actors=3, seed=1)  # idempotent

    assert Site.objects.get(is_default_site=True).root_page_id == own_site.pk
    assert not PortalHomePage.objects.exists()
    cartography = CartographyPage.objects.get()
    assert cartography.get_parent().pk == own_site.pk
    assert ContentPage.objects.child_of(own_site).filter(slug="privacy").count() == 1
    assert ActorPage.objects.child_of(cartography).filter(is_demo=True).count() == 3
    assert ActorPage.objects.filter(slug="genopole", is_demo=False).count() == 1


@pytest.mark.django_db
def test_load_demo_adds_under_a_page_given_by_id_or_url_path(own_site):
    section = own_site.add_child(instance=ContentPage(title="Directory", slug="directory"))
    run("load_demo", actors=0, parent="/directory/")
    assert CartographyPage.objects.get().get_parent().pk == section.pk
    run("load_demo", actors=0, parent=str(own_site.pk))
    assert CartographyPage.objects.count() == 1  # the existing cartography is reused

    with pytest.raises(CommandError, match="No page '/nowhere/'"):
        run("load_demo", actors=0, parent="/nowhere/")


@pytest.mark.django_db
def test_site_root_makes_the_portal_home_the_sites_root(own_site):
    run("load_demo", actors=0, site_root=True)
    home = PortalHomePage.objects.get()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert home.cartography_link_id == CartographyPage.objects.get().pk
    assert ContentPage.objects.filter(pk=own_site.pk).exists()  # the site's page is kept


@pytest.mark.django_db
def test_load_demo_news_adds_its_section_under_the_sites_root_once(own_site):
    run("load_demo_news", count=2, seed=1)
    index = NewsIndexPage.objects.get()
    assert index.get_parent().pk == own_site.pk
    assert "already loaded" in run("load_demo_news", count=2, seed=1)
    assert NewsIndexPage.objects.count() == 1
