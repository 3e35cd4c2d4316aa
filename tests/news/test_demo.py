"""Demo news: deterministic, labelled as demo, linked to demo actors, loaded once."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cobioe_cms.demo.actors import generate_actors
from cobioe_cms.news.demo import DEMO_PREFIX, generate_news
from cobioe_cms.news.models import NewsIndexPage, NewsPage

TODAY = datetime.date(2026, 6, 1)


def snapshot(index):
    return [
        (
            item.title,
            item.date,
            str(item.countries),
            sorted(tag.name for tag in item.tags.all()),
            sorted(stage.slug for stage in item.stages.all()),
            sorted(actor.slug for actor in item.related_actors.all()),
        )
        for item in NewsPage.objects.child_of(index).order_by("path")
    ]


@pytest.mark.django_db
def test_same_seed_gives_same_news(news_index, cartography):
    generate_actors(cartography, 20, seed=3)
    generate_news(news_index, 8, seed=5, today=TODAY)
    first = snapshot(news_index)
    NewsPage.objects.child_of(news_index).delete()
    generate_news(news_index, 8, seed=5, today=TODAY)
    assert snapshot(news_index) == first
    NewsPage.objects.child_of(news_index).delete()
    generate_news(news_index, 8, seed=6, today=TODAY)
    assert snapshot(news_index) != first


@pytest.mark.django_db
def test_demo_news_are_labelled_published_and_linked(news_index, cartography, client):
    generate_actors(cartography, 20, seed=3)
    items = generate_news(news_index, 12, seed=1)
    assert all(item.is_demo and item.live for item in items)
    assert all(item.summary.startswith(DEMO_PREFIX) for item in items)
    assert all(item.stages.exists() for item in items)
    linked = NewsPage.related_actors.through.objects.filter(newspage__in=items)
    assert linked.exists()
    assert all(link.actorpage.is_demo for link in linked)
    # Each linked actor's profile finds the news that mention it.
    actor = linked.first().actorpage
    assert NewsPage.objects.live().public().mentioning(actor).exists()
    response = client.get(items[0].url)
    assert response.status_code == 200
    assert "Demo data: this news item is synthetic" in response.content.decode()


@pytest.mark.django_db
def test_load_demo_news_is_idempotent():
    out = io.StringIO()
    call_command("load_demo_news", count=6, seed=1, stdout=out)
    index = NewsIndexPage.objects.get()
    assert NewsPage.objects.child_of(index).filter(is_demo=True).count() == 6
    call_command("load_demo_news", count=6, seed=1, stdout=out)
    call_command("load_demo_news", count=30, seed=2, stdout=out)
    assert "6 already loaded" in out.getvalue()
    assert NewsIndexPage.objects.count() == 1
    assert NewsPage.objects.count() == 6


@pytest.mark.django_db
def test_load_demo_news_rejects_absurd_counts():
    for count in (-1, 100_000):
        with pytest.raises(CommandError):
            call_command("load_demo_news", count=count, stdout=io.StringIO())
    assert not NewsPage.objects.exists()
