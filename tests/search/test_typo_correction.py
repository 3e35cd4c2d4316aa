"""When typos are corrected in the site search: the organisations found nothing, even if
another section's looser matching found something; and never when asked for the query
as typed (``exact=1``)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from wagtail.models import Page

from cobioe_cms.search import site_search
from cobioe_cms.search.site_search import AnsweredList, SearchSection, SiteSearch
from tests.factories import ActorPageFactory


@pytest.fixture
def loose_section(monkeypatch):
    """A section that finds two things for any query (as the cluster's French stemmer
    finds news for "vacine")."""
    sections = dict(site_search._sections)
    sections["loose"] = SearchSection(
        key="loose",
        label="Loose",
        search=lambda context: AnsweredList(
            list(Page.objects.filter(depth__gt=1).order_by("path")[:2]), "database"
        ),
        template="cobioe_search/hit_page.html",
        order=90,
    )
    monkeypatch.setattr(site_search, "_sections", sections)


def search(**params) -> SiteSearch:
    request = RequestFactory().get("/search/", params)
    request.user = AnonymousUser()
    return SiteSearch(request).run()


def counts(found: SiteSearch) -> dict[str, int]:
    return {result.section.key: result.count for result in found.results}


@pytest.mark.django_db
def test_organisations_found_nothing_so_the_typo_is_corrected(cartography, loose_section):
    ActorPageFactory(parent=cartography, title="Alpha", modalities=["vaccines"])
    found = search(q="vacine")
    assert found.corrected_from is not None and found.corrected_from.typed == "vacine"
    assert found.query.typed == "vaccine"
    assert found.typed_total == 2
    assert counts(found)["actors"] == 1

    as_typed = search(q="vacine", exact="1")
    assert as_typed.corrected_from is None
    assert counts(as_typed)["actors"] == 0 and counts(as_typed)["loose"] == 2
    assert "exact=1" in as_typed.querystring()


@pytest.mark.django_db
def test_a_query_that_finds_organisations_is_never_corrected(cartography, loose_section):
    ActorPageFactory(parent=cartography, title="Vacine Holdings")
    found = search(q="vacine")
    assert found.corrected_from is None
    assert counts(found)["actors"] == 1


@pytest.mark.django_db
def test_the_page_offers_the_query_as_typed(cartography, client, loose_section):
    ActorPageFactory(parent=cartography, title="Alpha", modalities=["vaccines"])
    body = client.get("/search/", {"q": "vacine"}).content.decode()
    assert "No organisation matches “vacine”; showing the results for “vaccine”." in body
    assert 'href="?q=vacine&amp;exact=1"' in body
