"""Wagtail's own search on the cluster (cobioe_cms.search.wagtail_backend): the
backends the settings build from COBIOE_SEARCH, indexing and stemmed search on a real
node, and the database answering when the cluster is down or the index missing."""

import logging
import runpy
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.core.models import ContentPage
from cobioe_cms.news.models import NewsIndexPage, NewsPage
from cobioe_cms.search import service
from cobioe_cms.search.wagtail_backend import (
    Elasticsearch8SearchBackend,
    OpenSearch2SearchBackend,
)
from tests.factories import ActorPageFactory, NewsPageFactory

from .conftest import PREFIX

BASE_SETTINGS = Path(django_settings.REPO_DIR) / "site" / "cobioe_site" / "settings" / "base.py"


@pytest.fixture
def site_settings(monkeypatch):
    """The reference site's base settings, evaluated with the given environment."""

    def build(**environment):
        for name in ("URL", "ENGINE", "INDEX_PREFIX", "TIMEOUT", "RETRY_AFTER"):
            monkeypatch.delenv(f"COBIOE_SEARCH_{name}", raising=False)
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(BASE_SETTINGS))

    return build


@pytest.fixture
def use_cluster_backends(settings, site_settings):
    """Point Wagtail at the backends the site builds for the test's COBIOE_SEARCH
    (URL and prefix of ``search_cluster`` or ``closed_port``). Indexing on save is off
    unless a test turns it on: tests index on purpose."""

    def use(engine="opensearch", auto_update=False):
        conf = settings.COBIOE_SEARCH
        built = site_settings(
            COBIOE_SEARCH_URL=conf["URL"],
            COBIOE_SEARCH_ENGINE=engine,
            COBIOE_SEARCH_INDEX_PREFIX=conf["INDEX_PREFIX"],
            COBIOE_SEARCH_TIMEOUT=str(conf["TIMEOUT"]),
        )["WAGTAILSEARCH_BACKENDS"]
        for backend in built.values():
            backend["AUTO_UPDATE"] = auto_update
        settings.WAGTAILSEARCH_BACKENDS = built
        return built

    return use


@pytest.fixture
def pages(db, cartography):
    """An actor, a news item and a content page, with English and French titles."""
    news_index = NewsIndexPage.objects.first()
    if news_index is None:
        home = cartography.get_parent()
        news_index = home.add_child(instance=NewsIndexPage(title="News", slug="news"))
        news_index.save_revision().publish()
    actor = ActorPageFactory(
        parent=cartography, title="Vaccine Manufacturing Works", summary="Fill and finish."
    )
    news = NewsPageFactory(
        parent=news_index,
        title="Thérapies géniques : une nouvelle usine à Évry",
        summary="Production de vecteurs viraux.",
    )
    home = cartography.get_parent()
    content = ContentPage(title="Methodology of the mapping", slug="methodology")
    home.add_child(instance=content)
    content.save_revision().publish()
    return {"actor": actor, "news": news, "content": content}


def titles(results) -> set[str]:
    return {page.title for page in results}


# -- settings --------------------------------------------------------------------------


def test_settings_without_a_cluster_keep_the_database_backend(site_settings):
    built = site_settings()
    assert built["WAGTAILSEARCH_BACKENDS"] == {
        "default": {"BACKEND": "wagtail.search.backends.database"}
    }


def test_settings_with_a_cluster(site_settings):
    backends = site_settings(
        COBIOE_SEARCH_URL="http://search.internal:9200",
        COBIOE_SEARCH_INDEX_PREFIX="Staging",
        COBIOE_SEARCH_TIMEOUT="3",
    )["WAGTAILSEARCH_BACKENDS"]

    default = backends["default"]
    assert default["BACKEND"] == "cobioe_cms.search.wagtail_backend.OpenSearch2SearchBackend"
    assert default["URLS"] == ["http://search.internal:9200"]
    assert default["INDEX_PREFIX"] == "staging-wagtail-"
    assert default["TIMEOUT"] == 3
    assert default["ATOMIC_REBUILD"] is True
    assert backends["database"] == {"BACKEND": "wagtail.search.backends.database"}

    backend = get_search_backend("cobioe_cms.search.wagtail_backend", **_params(default))
    assert isinstance(backend, OpenSearch2SearchBackend)
    assert backend.get_index_for_model(ActorPage).name == "staging-wagtail-wagtailcore_page"


def test_settings_with_elasticsearch(site_settings):
    default = site_settings(
        COBIOE_SEARCH_URL="http://search.internal:9200", COBIOE_SEARCH_ENGINE="Elasticsearch"
    )["WAGTAILSEARCH_BACKENDS"]["default"]

    assert default["BACKEND"] == "cobioe_cms.search.wagtail_backend.Elasticsearch8SearchBackend"
    backend = get_search_backend(default["BACKEND"], **_params(default))
    assert isinstance(backend, Elasticsearch8SearchBackend)


def _params(conf: dict) -> dict:
    return {key: value for key, value in conf.items() if key != "BACKEND"}


# -- on the node -----------------------------------------------------------------------


@pytest.mark.django_db
def test_update_index_then_search_with_stemming(search_cluster, use_cluster_backends, pages):
    use_cluster_backends()
    call_command("update_index", "--backend", "default", verbosity=0)

    alias = f"{PREFIX}-wagtail-wagtailcore_page"
    assert search_cluster.indices.exists_alias(name=alias)

    live = Page.objects.live().public()
    # English stemming: "vaccines" finds "Vaccine", "manufactured" finds "Manufacturing".
    results = live.search("vaccines manufactured", operator="and")
    assert titles(results) == {"Vaccine Manufacturing Works"}
    assert results.answered_by == service.CLUSTER
    # French stemming: "thérapie" finds "Thérapies", "géniques" via "génique".
    assert titles(live.search("thérapie génique", operator="and")) == {pages["news"].title}
    # Without accents, too.
    assert titles(live.search("evry therapies", operator="and")) == {pages["news"].title}
    assert titles(live.search("methodology")) == {"Methodology of the mapping"}
    # Per model, with the specific class, and filters (a country is indexed as its code).
    assert list(ActorPage.objects.live().search("vaccine")) == [pages["actor"]]
    assert list(ActorPage.objects.filter(country="FR").search("vaccine")) == [pages["actor"]]
    assert not ActorPage.objects.filter(country="DE").search("vaccine")
    assert NewsPage.objects.live().search("usine").count() == 1


@pytest.mark.django_db
def test_add_bulk_autocomplete_and_facets(search_cluster, use_cluster_backends, pages):
    use_cluster_backends()
    call_command("update_index", "--backend", "default", "--schema-only", verbosity=0)
    backend = get_search_backend()
    backend.add_bulk(ActorPage, [pages["actor"]])
    backend.add_bulk(ContentPage, [pages["content"]])
    backend.refresh_indexes()

    assert titles(Page.objects.autocomplete("vacc")) == {"Vaccine Manufacturing Works"}
    facets = Page.objects.search("vaccine methodology").facet("content_type_id")
    assert sum(facets.values()) == 2
    assert not Page.objects.search("usine")  # the news item was not indexed


@pytest.mark.django_db
def test_missing_index_is_answered_by_the_database(
    search_cluster, use_cluster_backends, pages, caplog
):
    use_cluster_backends()
    call_command("update_index", "--backend", "database", verbosity=0)

    with caplog.at_level(logging.WARNING, logger="cobioe_cms.search"):
        results = Page.objects.live().search("vaccine")
        found = titles(results)

    assert found == {"Vaccine Manufacturing Works"}
    assert results.answered_by == service.DATABASE
    assert "search cluster fault during Wagtail search" in caplog.text
    assert service.breaker_open()


# -- with the cluster down ---------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("engine", ["opensearch", "elasticsearch"])
def test_down_cluster_answers_from_the_database(
    closed_port, use_cluster_backends, pages, caplog, engine
):
    use_cluster_backends(engine=engine)
    call_command("update_index", "--backend", "database", verbosity=0)
    database = get_search_backend("database")

    with caplog.at_level(logging.WARNING, logger="cobioe_cms.search"):
        results = Page.objects.live().search("vaccine")
        assert results.count() == 1
        assert titles(results) == titles(database.search("vaccine", Page.objects.live()))

    assert results.answered_by == service.DATABASE
    warnings = [r for r in caplog.records if r.name == "cobioe_cms.search"]
    assert len(warnings) == 1  # then the breaker sends everything to the database
    assert warnings[0].levelno == logging.WARNING
    assert "127.0.0.1:9" not in str(results)

    # Slices, autocomplete and facets take the same way.
    assert titles(Page.objects.live().search("vaccine methodology")[1:]) != set()
    assert titles(Page.objects.autocomplete("vacc")) == {"Vaccine Manufacturing Works"}
    facets = Page.objects.live().search("vaccine").facet("content_type_id")
    assert sum(facets.values()) == 1


@pytest.mark.django_db
def test_signal_updates_on_a_down_cluster_keep_the_database_current(
    closed_port, use_cluster_backends, cartography, caplog
):
    use_cluster_backends(auto_update=True)

    with caplog.at_level(logging.WARNING):
        actor = ActorPageFactory(parent=cartography, title="Bioreactor Hall")  # publishes

    assert ActorPage.objects.live().filter(pk=actor.pk).exists()
    assert "search cluster fault during Wagtail index update" in caplog.text
    # The database backend was updated too, and answers.
    results = ActorPage.objects.live().search("bioreactor")
    assert list(results) == [actor]
    assert results.answered_by == service.DATABASE


@pytest.mark.django_db
def test_admin_page_search_with_the_cluster_down(
    closed_port, use_cluster_backends, pages, admin_client
):
    use_cluster_backends()
    call_command("update_index", "--backend", "database", verbosity=0)

    response = admin_client.get("/admin/pages/search/", {"q": "vaccine"})

    assert response.status_code == 200
    assert "Vaccine Manufacturing Works" in response.content.decode()
    for query in ("", "live:yes vaccine", "«»"):
        assert admin_client.get("/admin/pages/search/", {"q": query}).status_code == 200
