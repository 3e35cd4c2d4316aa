"""News page types: tree rules, editing in the admin, and the shared queries."""

from django.contrib.auth import get_user_model
from django.template import Context, Template
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from cobioe_cms.actors.models import CartographyPage
from cobioe_cms.core.models import ContentPage, PortalHomePage, ValueChainStage
from cobioe_cms.news.demo import ensure_news
from cobioe_cms.news.models import NewsIndexPage, NewsPage
from tests.factories import ActorPageFactory, NewsPageFactory

from .dataset import build_news, days_ago


class TreeRulesTests(WagtailPageTestCase):
    def test_where_news_pages_can_be_created(self):
        self.assertCanCreateAt(PortalHomePage, NewsIndexPage)
        self.assertCanCreateAt(NewsIndexPage, NewsPage)
        self.assertCanNotCreateAt(PortalHomePage, NewsPage)
        self.assertCanNotCreateAt(CartographyPage, NewsPage)
        self.assertCanNotCreateAt(NewsPage, NewsPage)
        # A site puts its news section under any page it chooses (issue 11).
        self.assertCanCreateAt(ContentPage, NewsIndexPage)
        self.assertCanCreateAt(Page, NewsIndexPage)
        self.assertAllowedSubpageTypes(NewsIndexPage, {NewsPage})
        self.assertAllowedParentPageTypes(NewsPage, {NewsIndexPage})

    def test_one_news_index_per_home_page(self):
        home = PortalHomePage.objects.get()
        self.assertTrue(NewsIndexPage.can_create_at(home))
        ensure_news(home)
        self.assertFalse(NewsIndexPage.can_create_at(home))


class AdminEditingTests(WagtailPageTestCase):
    def test_an_editor_creates_a_news_item_with_tags_topics_and_actors(self):
        index = ensure_news(PortalHomePage.objects.get())
        actor = ActorPageFactory(parent=CartographyPage.objects.get(), title="Lyon Biologics")
        production = ValueChainStage.objects.get(slug="production")
        self.client.force_login(get_user_model().objects.create_superuser("ed", "e@x.org", "pw"))
        data = nested_form_data(
            {
                "title": "Plant opening",
                "date": "2026-03-02",
                "summary": "A new plant.",
                "body": streamfield([("paragraph", rich_text("<p>Details.</p>"))]),
                "tags": "opening, GMP",
            }
        )
        # Multiple-choice fields post one value per choice (not nested-form keys).
        data.update(stages=[production.pk], countries=["FR", "DE"], related_actors=[actor.pk])
        self.assertCanCreate(index, NewsPage, data)
        page = NewsPage.objects.get(slug="plant-opening")
        self.assertTrue(page.live)
        self.assertEqual(sorted(tag.name for tag in page.tags.all()), ["GMP", "opening"])
        self.assertEqual([c.code for c in page.countries], ["DE", "FR"])
        self.assertEqual(list(page.stages.all()), [production])
        self.assertEqual(list(page.related_actors.all()), [actor])
        # The revision holds the same content (publishing it again changes nothing).
        revision = page.get_latest_revision_as_object()
        self.assertEqual([c.code for c in revision.countries], ["DE", "FR"])
        self.assertEqual([a.pk for a in revision.related_actors.all()], [actor.pk])
        page.get_latest_revision().publish()
        page = NewsPage.objects.get(pk=page.pk)
        self.assertEqual([c.code for c in page.countries], ["DE", "FR"])
        self.assertEqual(self.client.get("/news/plant-opening/").status_code, 200)
        edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        self.assertContains(self.client.get(edit_url), "Tags and topics")


class QueryTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.index = ensure_news(PortalHomePage.objects.get())
        cls.actors, cls.news = build_news(cls.index)

    def slugs(self, queryset):
        return list(queryset.newest_first().values_list("slug", flat=True))

    def test_tagged_about_and_mentioning(self):
        visible = NewsPage.objects.live().public()
        self.assertEqual(self.slugs(visible.tagged("gmp")), ["mab-expansion"])
        self.assertEqual(self.slugs(visible.about("stage", "production")), ["mab-expansion"])
        self.assertEqual(
            self.slugs(visible.about("country", "fr")), ["mab-expansion", "vaccine-call"]
        )
        self.assertEqual(self.slugs(visible.about("area", "infectious-diseases")), ["vaccine-call"])
        self.assertEqual(self.slugs(visible.about("colour", "red")), [])
        self.assertEqual(self.slugs(visible.about("country", "US")), [])
        self.assertEqual(
            self.slugs(visible.mentioning(self.actors["lyon"])), ["mab-expansion", "training-week"]
        )
        # Without the visibility filter, drafts and private items match too.
        self.assertEqual(
            set(self.slugs(NewsPage.objects.about("stage", "production"))),
            {"mab-expansion", "secret-draft", "hidden-news"},
        )

    def test_an_item_matching_several_terms_is_listed_once(self):
        NewsPageFactory(parent=self.index, title="Both", stages=["production", "fill-finish"])
        self.assertEqual(
            self.slugs(NewsPage.objects.live().about("stage", "production")).count("both"), 1
        )

    def test_topics_in_order(self):
        topics = self.news["vaccine"].topics()
        self.assertEqual(
            [(t.kind, t.value, t.label) for t in topics],
            [
                ("modality", "vaccines", "Vaccines"),
                ("area", "infectious-diseases", "Infectious diseases"),
                ("country", "DE", "Germany"),
                ("country", "FR", "France"),
            ],
        )

    def test_news_mentioning_tag_lists_live_public_news_newest_first(self):
        template = Template(
            "{% load news_tags %}{% news_mentioning actor as items %}"
            "{% for item in items %}{{ item.slug }} {% endfor %}"
        )
        rendered = template.render(Context({"actor": self.actors["lyon"]})).split()
        self.assertEqual(rendered, ["mab-expansion", "training-week"])
        rendered = template.render(Context({"actor": self.actors["munich"]})).split()
        self.assertEqual(rendered, ["training-week"])

    def test_news_mentioning_shows_at_most_five(self):
        actor = self.actors["munich"]
        for n in range(7):
            NewsPageFactory(
                parent=self.index, title=f"M {n}", date=days_ago(n), related_actors=[actor]
            )
        restricted = NewsPageFactory(parent=self.index, title="M private", related_actors=[actor])
        PageViewRestriction.objects.create(
            page=restricted, restriction_type="password", password="x"
        )
        template = Template(
            "{% load news_tags %}{% news_mentioning actor as items %}"
            '{% include "cobioe_news/includes/mentioning.html" with items=items %}'
        )
        html = template.render(Context({"actor": actor}))
        self.assertEqual(html.count("<li>"), 5)
        self.assertIn("In the news", html)
        self.assertIn('href="/news/m-0/"', html)
        self.assertNotIn("m-private", html)
        self.assertNotIn("m-5", html)
