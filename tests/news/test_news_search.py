"""The news index on a real search node: what a document holds, and how publishing,
unpublishing, deleting, moving and view restrictions keep it current (after the
commit). Drafts and private news never reach it; with no cluster nothing is queued."""

import pytest
from wagtail.models import PageViewRestriction

from cobioe_cms.news.models import NewsIndexPage, NewsPage
from cobioe_cms.search import indexes
from tests.conftest import SEARCH_PREFIX
from tests.factories import ActorPageFactory, NewsPageFactory

pytestmark = pytest.mark.django_db

ALIAS = f"{SEARCH_PREFIX}-news"


def indexed_ids(client) -> set[int]:
    client.indices.refresh(index=ALIAS)
    hits = client.search(index=ALIAS, body={"query": {"match_all": {}}, "size": 100})
    return {int(hit["_id"]) for hit in hits["hits"]["hits"]}


def source_of(client, page) -> dict:
    return client.get(index=ALIAS, id=str(page.pk))["_source"]


@pytest.fixture
def published(news_index, search_cluster):
    """One published item in a freshly built index."""
    page = NewsPageFactory(parent=news_index, title="Plant opening")
    indexes.rebuild("news")
    return page


def test_the_document_holds_topics_text_and_tree(news_index, cartography, search_cluster):
    actor = ActorPageFactory(parent=cartography, title="Lyon Biologics")
    page = NewsPageFactory(
        parent=news_index,
        title="CAR-T: a New Plant in Évry",
        summary="Cell THERAPY capacity doubles.",
        body=[("heading", "Why it matters"), ("paragraph", "<p>More <b>batches</b>.</p>")],
        tags=["Funding"],
        stages=["production"],
        modalities=["cell-therapies"],
        countries=["FR", "BE"],
        related_actors=[actor],
    )
    draft = NewsPageFactory(parent=news_index, title="Not yet", live=False)

    result = indexes.rebuild("news")

    assert result.indexed == 1
    assert indexed_ids(search_cluster) == {page.pk}  # never the draft
    assert draft.pk not in indexed_ids(search_cluster)
    source = source_of(search_cluster, page)
    assert source["contains_text"] == [
        "car-t: a new plant in évry",
        "cell therapy capacity doubles.",
    ]
    assert source["body"] == "Why it matters\nMore batches."
    assert source["tags"] == ["funding"]
    assert (source["stages"], source["modalities"], source["therapeutic_areas"]) == (
        ["production"],
        ["cell-therapies"],
        [],
    )
    assert source["countries"] == ["BE", "FR"]
    assert source["related_actors"] == [actor.pk]
    assert (source["path"], source["depth"]) == (page.path, page.depth)


def test_bilingual_full_text_finds_the_news(news_index, search_cluster):
    page = NewsPageFactory(parent=news_index, title="Nouvelles usines de vaccins à Lyon")
    NewsPageFactory(parent=news_index, title="Funding round")
    indexes.rebuild("news")
    body = {"query": {"match": {"title.fr": "usine vaccin"}}}
    hits = search_cluster.search(index=ALIAS, body=body)["hits"]["hits"]
    assert [int(hit["_id"]) for hit in hits] == [page.pk]


def test_publish_edit_and_unpublish_update_the_index(
    published, news_index, search_cluster, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        draft = NewsPageFactory(parent=news_index, title="Draft news", live=False)
    assert indexed_ids(search_cluster) == {published.pk}

    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision().publish()
    assert indexed_ids(search_cluster) == {published.pk, draft.pk}

    page = NewsPage.objects.get(pk=published.pk)
    page.title = "Plant opening, updated"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision()  # a draft edit: visitors still see the old title
    assert source_of(search_cluster, published)["title"] == "Plant opening"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert source_of(search_cluster, published)["title"] == "Plant opening, updated"

    with django_capture_on_commit_callbacks(execute=True):
        NewsPage.objects.get(pk=draft.pk).unpublish()
    assert indexed_ids(search_cluster) == {published.pk}


def test_delete_removes_the_document(published, search_cluster, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        NewsPage.objects.get(pk=published.pk).delete()
    assert indexed_ids(search_cluster) == set()


def test_a_move_updates_the_path(
    published, news_index, search_cluster, django_capture_on_commit_callbacks
):
    archive = news_index.get_parent().add_child(
        instance=NewsIndexPage(title="Archive", slug="archive")
    )
    with django_capture_on_commit_callbacks(execute=True):
        NewsPage.objects.get(pk=published.pk).move(archive, pos="last-child")

    moved = NewsPage.objects.get(pk=published.pk)
    assert moved.path.startswith(archive.path)
    assert source_of(search_cluster, published)["path"] == moved.path


def test_a_view_restriction_takes_news_out_and_back(
    published, news_index, search_cluster, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=news_index, restriction_type=PageViewRestriction.LOGIN
        )
    assert indexed_ids(search_cluster) == set()

    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    assert indexed_ids(search_cluster) == {published.pk}


def test_no_cluster_queues_nothing(no_search, news_index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        NewsPageFactory(parent=news_index, title="Quiet news")
    assert callbacks == []
