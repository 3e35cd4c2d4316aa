"""The public directory: facets, combinations, counts, text, sorting, pagination."""

import re

from django.test import TestCase

from .dataset import PUBLISHED, build_actors


def listed_slugs(response) -> set[str]:
    """Slugs of the actors the directory page links to in its result list."""
    html = response.content.decode()
    results = html.split('class="actor-list"', 1)
    if len(results) < 2:
        return set()
    return set(re.findall(r'href="/cartography/([\w-]+)/"', results[1].split("</ol>")[0]))


class CartographyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cartography, cls.actors = build_actors()

    def get(self, query=""):
        response = self.client.get(f"/cartography/{query}")
        self.assertEqual(response.status_code, 200)
        return response

    def facet_count(self, response, facet: str, value: str) -> int | None:
        for result in response.context["facets"]:
            if result.facet.key == facet:
                for option in result.options:
                    if option.value == value:
                        return option.count
        return None

    def test_lists_published_public_actors_only(self):
        response = self.get()
        self.assertEqual(listed_slugs(response), PUBLISHED)
        self.assertContains(response, "6 actors")
        self.assertNotContains(response, "Secret Draft")
        self.assertNotContains(response, "Hidden Actor")

    def test_unpublished_and_private_profiles_are_not_served(self):
        self.assertEqual(self.client.get("/cartography/secret-draft/").status_code, 404)
        response = self.client.get("/cartography/hidden-actor/")
        self.assertNotContains(response, "Hidden Actor", status_code=200)

    def test_each_facet_filters(self):
        cases = {
            "?country=DE": {"berlin-vector-lab", "munich-mab-manufacturing"},
            "?type=cdmo": {"lyon-biologics", "munich-mab-manufacturing"},
            "?stage=research-development": {"evry-cell-therapies", "berlin-vector-lab"},
            "?modality=monoclonal-antibodies": {"lyon-biologics", "munich-mab-manufacturing"},
            "?area=rare-diseases": {"evry-cell-therapies"},
            "?scale=clinical": {"lyon-biologics"},
            "?gmp=non-gmp": {"berlin-vector-lab"},
            "?verified=1": {"lyon-biologics", "munich-mab-manufacturing"},
        }
        for query, expected in cases.items():
            with self.subTest(query=query):
                self.assertEqual(listed_slugs(self.get(query)), expected)

    def test_a_sub_stage_implies_its_parent_stage(self):
        # Lyon is placed on "fill & finish" only; it is found under "production".
        slugs = listed_slugs(self.get("?stage=production"))
        self.assertEqual(slugs, {"lyon-biologics", "munich-mab-manufacturing"})
        self.assertEqual(listed_slugs(self.get("?stage=fill-finish")), {"lyon-biologics"})

    def test_values_of_one_facet_are_ored_and_facets_are_anded(self):
        self.assertEqual(
            listed_slugs(self.get("?country=DE&country=PT")),
            {"berlin-vector-lab", "munich-mab-manufacturing", "lisbon-training-academy"},
        )
        self.assertEqual(
            listed_slugs(self.get("?country=FR&modality=monoclonal-antibodies")),
            {"lyon-biologics"},
        )
        self.assertEqual(
            listed_slugs(self.get("?country=FR&type=cdmo&stage=production&gmp=gmp-certified")),
            {"lyon-biologics"},
        )

    def test_counts_reflect_the_other_active_filters(self):
        response = self.get("?country=FR")
        # Within France: one CDMO, one company; the country facet keeps its own counts.
        self.assertEqual(self.facet_count(response, "type", "cdmo"), 1)
        self.assertEqual(self.facet_count(response, "type", "company"), 1)
        self.assertIsNone(self.facet_count(response, "type", "academic-lab"))
        self.assertEqual(self.facet_count(response, "country", "FR"), 2)
        self.assertEqual(self.facet_count(response, "country", "DE"), 2)
        self.assertEqual(self.facet_count(response, "stage", "production"), 1)
        self.assertEqual(self.facet_count(response, "area", "oncology"), 2)

    def test_unfiltered_counts(self):
        response = self.get()
        self.assertEqual(self.facet_count(response, "modality", "monoclonal-antibodies"), 2)
        self.assertEqual(self.facet_count(response, "stage", "research-development"), 2)
        self.assertEqual(self.facet_count(response, "gmp", "gmp-certified"), 2)
        # Drafts and private pages are not counted.
        self.assertEqual(self.facet_count(response, "type", "cdmo"), 2)

    def test_selected_value_with_no_result_stays_visible(self):
        response = self.get("?country=PT&type=cdmo")
        self.assertEqual(listed_slugs(response), set())
        self.assertEqual(self.facet_count(response, "type", "cdmo"), 0)
        self.assertContains(response, "No actor matches these filters.")
        self.assertContains(response, "Remove all filters")

    def test_text_query_matches_words_accents_and_labels(self):
        cases = {
            "?q=lyon": {"lyon-biologics"},
            "?q=EVRY": {"evry-cell-therapies"},
            "?q=car-t": {"evry-cell-therapies"},
            "?q=vector berlin": {"berlin-vector-lab"},
            # Taxonomy labels, in English and French, are searchable.
            "?q=anticorps": {"lyon-biologics", "munich-mab-manufacturing"},
            # Countries by their English and French names.
            "?q=allemagne": {"berlin-vector-lab", "munich-mab-manufacturing"},
            "?q=germany": {"berlin-vector-lab", "munich-mab-manufacturing"},
        }
        for query, expected in cases.items():
            with self.subTest(query=query):
                self.assertEqual(listed_slugs(self.get(query)), expected)

    def test_text_query_combines_with_facets_and_counts(self):
        response = self.get("?q=bio&country=FR")
        self.assertEqual(listed_slugs(response), {"lyon-biologics"})
        self.assertEqual(self.facet_count(response, "country", "BE"), 1)  # Nowhere Bio

    def test_sorting(self):
        html = self.get("?sort=country").content.decode()
        order = [html.index(name) for name in ("Nowhere Bio", "Berlin Vector", "Lyon Biolog")]
        self.assertEqual(order, sorted(order))  # BE, DE, FR
        html = self.get("?sort=name").content.decode()
        self.assertLess(html.index("Berlin Vector"), html.index("Munich mAb"))

    def test_pagination_keeps_the_filters(self):
        self.cartography.per_page = 2
        self.cartography.save_revision().publish()
        first = self.get("?country=DE&country=FR")
        self.assertEqual(len(listed_slugs(first)), 2)
        self.assertContains(first, "?country=DE&amp;country=FR&amp;page=2")
        second = self.get("?country=DE&country=FR&page=2")
        self.assertEqual(len(listed_slugs(second)), 2)
        self.assertFalse(listed_slugs(first) & listed_slugs(second))

    def test_every_state_is_a_url(self):
        response = self.get("?q=bio&country=FR&stage=production&sort=country")
        # Removing one filter is a link that keeps the others.
        self.assertContains(response, 'href="?q=bio&amp;country=FR&amp;sort=country"')
        # The map data and exports receive the same state.
        self.assertContains(
            response, "/cartography/map/data/?q=bio&amp;country=FR&amp;stage=production"
        )
        self.assertContains(
            response, "/cartography/export/csv/?q=bio&amp;country=FR&amp;stage=production"
        )

    def test_profile_page_shows_the_profile_and_related_actors(self):
        response = self.client.get("/cartography/lyon-biologics/")
        self.assertContains(response, "Lyon Biologics")
        self.assertContains(response, "Fill &amp; finish")
        self.assertContains(response, "Verified profile")
        self.assertContains(response, 'id="actor-map"')
        related = [a.slug for a in response.context["related_actors"]]
        self.assertEqual(related[0], "munich-mab-manufacturing")  # shares stage + modality
        self.assertNotIn("secret-draft", related)
        self.assertNotIn("hidden-actor", related)

    def test_profile_without_a_place_says_so(self):
        response = self.client.get("/cartography/nowhere-bio/")
        self.assertContains(response, "location of this organisation is not known")
        self.assertNotContains(response, 'id="actor-map"')

    def test_french_interface_has_french_labels_and_links(self):
        response = self.client.get("/fr/cartography/?country=FR")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Anticorps monoclonaux", response.content.decode())
        self.assertIn('href="/fr/cartography/lyon-biologics/"', response.content.decode())
        # The interface itself is translated (each app ships its locale/).
        self.assertIn("Aller au contenu principal", response.content.decode())
        self.assertIn("Appliquer les filtres", response.content.decode())
        self.assertIn('<html lang="fr">', response.content.decode())
        response = self.client.get("/fr/cartography/?country=ZZ")
        self.assertIn("n’est pas une valeur connue du filtre", response.content.decode())
