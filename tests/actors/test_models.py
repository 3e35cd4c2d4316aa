"""Actor profiles: tree rules, location, stages, search text, staleness."""

import datetime

from django.utils import timezone
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from cobioe_cms.actors.geocoding import locate_city
from cobioe_cms.actors.models import ActorPage, CartographyPage, LocationPrecision
from cobioe_cms.core.models import ContentPage, PortalHomePage
from tests.factories import ActorPageFactory


class TreeRulesTests(WagtailPageTestCase):
    def test_actor_pages_live_under_a_cartography_only(self):
        self.assertCanCreateAt(CartographyPage, ActorPage)
        self.assertCanNotCreateAt(PortalHomePage, ActorPage)
        self.assertCanNotCreateAt(ContentPage, ActorPage)
        self.assertCanNotCreateAt(ActorPage, ActorPage)
        self.assertAllowedSubpageTypes(CartographyPage, {ActorPage})
        self.assertAllowedSubpageTypes(ActorPage, set())

    def test_the_cartography_and_content_pages_fit_under_any_page(self):
        for parent in (Page, PortalHomePage, ContentPage):
            self.assertCanCreateAt(parent, CartographyPage)
            self.assertCanCreateAt(parent, ContentPage)

    def test_home_page_is_created_at_the_root_only(self):
        self.assertCanCreateAt(Page, PortalHomePage)
        self.assertCanNotCreateAt(PortalHomePage, PortalHomePage)


class ActorModelTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cartography = CartographyPage.objects.get()

    def make(self, **kwargs):
        return ActorPageFactory(parent=self.cartography, **kwargs)

    def test_coordinates_are_derived_from_the_city(self):
        actor = self.make(title="In Lyon", city="Lyon", country="FR")
        self.assertEqual(actor.location_precision, LocationPrecision.CITY)
        self.assertAlmostEqual(actor.latitude, 45.75, places=1)

    def test_accents_and_case_do_not_matter_to_the_gazetteer(self):
        self.assertEqual(locate_city("evry", "FR"), locate_city("Évry", "FR"))
        self.assertIsNotNone(locate_city("MÜNCHEN", "DE"))
        self.assertIsNone(locate_city("Lyon", "DE"))

    def test_unknown_city_means_no_place_not_zero_zero(self):
        actor = self.make(title="Nowhere", city="Atlantis", country="FR")
        self.assertIsNone(actor.latitude)
        self.assertIsNone(actor.longitude)
        self.assertEqual(actor.location_precision, LocationPrecision.NONE)
        self.assertFalse(actor.has_location)

    def test_editor_coordinates_are_kept(self):
        actor = self.make(title="Exact", city="Lyon", latitude=45.7, longitude=4.9)
        self.assertEqual(actor.location_precision, LocationPrecision.EXACT)
        self.assertEqual((actor.latitude, actor.longitude), (45.7, 4.9))
        actor.city = "Paris"
        actor.save_revision().publish()
        actor.refresh_from_db()
        self.assertEqual((actor.latitude, actor.longitude), (45.7, 4.9))

    def test_derived_coordinates_follow_a_new_city(self):
        actor = self.make(title="Mover", city="Lyon", country="FR")
        actor.city = "Paris"
        actor.save_revision().publish()
        actor.refresh_from_db()
        self.assertEqual((actor.latitude, actor.longitude), locate_city("Paris", "FR"))
        self.assertEqual(actor.location_precision, LocationPrecision.CITY)

    def test_editor_may_override_derived_coordinates(self):
        actor = self.make(title="Refined", city="Lyon", country="FR")
        actor.latitude, actor.longitude = 45.78, 4.87
        actor.save_revision().publish()
        actor.refresh_from_db()
        self.assertEqual(actor.location_precision, LocationPrecision.EXACT)
        self.assertEqual((actor.latitude, actor.longitude), (45.78, 4.87))

    def test_sub_stage_adds_its_parent(self):
        actor = self.make(title="Filler", stages=["fill-finish"])
        self.assertEqual(
            sorted(actor.stages.values_list("slug", flat=True)), ["fill-finish", "production"]
        )

    def test_search_text_is_folded_and_bilingual(self):
        actor = self.make(title="Ünïque Biotech", modalities=["vaccines"], keywords=["Single-Use"])
        # Folded and stemmed tokens (cobioe_cms.core.analysis), each between spaces.
        for token in ("uniqu", "biotech", "vaccin", "singl", "use", "franc"):
            self.assertIn(f" {token} ", actor.search_text)
        self.assertEqual(actor.search_name, " uniqu biotech uniqu_biotech ")  # + the pair
        self.assertIn(" vaccin ", actor.search_terms)  # the label, not the name
        self.assertIn(" singl use ", actor.search_terms)  # its own keywords
        self.assertNotIn(" lyon ", actor.search_terms)

    def test_staleness(self):
        actor = self.make(title="Old")
        self.assertTrue(actor.is_stale)  # never reviewed
        actor.last_reviewed = timezone.now().date() - datetime.timedelta(days=30)
        self.assertFalse(actor.is_stale)
        actor.last_reviewed = timezone.now().date() - datetime.timedelta(days=400)
        self.assertTrue(actor.is_stale)

    def test_revisions_are_kept(self):
        actor = self.make(title="Versioned")
        actor.summary = "Second version"
        actor.save_revision().publish()
        self.assertEqual(actor.revisions.count(), 2)

    def test_country_must_be_european(self):
        actor = ActorPage(title="Abroad", slug="abroad", country="US")
        with self.assertRaises(Exception) as raised:
            actor.full_clean()
        self.assertIn("country", raised.exception.message_dict)

    def test_stale_profile_is_marked_on_its_page(self):
        actor = self.make(
            title="Dusty", last_reviewed=timezone.now().date() - datetime.timedelta(days=500)
        )
        response = self.client.get(actor.url)
        self.assertContains(response, "Not reviewed for over a year")
