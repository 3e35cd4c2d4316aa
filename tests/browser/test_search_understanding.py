"""The search's understanding of a query, in a real browser: a typo is corrected and the
page says so, accessibly (axe-core's WCAG 2.1 A/AA rules), in the header search and in
the cartography; an acronym finds the profiles that spell it out."""

import pytest

from cobioe_cms.actors.models import CartographyPage
from tests.factories import ActorPageFactory

from .test_accessibility import assert_no_violations, open_page

# The live server needs transactional tests: see ``site_snapshot`` in conftest.py.
pytestmark = pytest.mark.django_db(transaction=True)

# The map has drawn its markers and written how many actors it shows.
MAP_SHOWS_ONE = """() => {
    const map = document.getElementById('cartography-map');
    const status = document.getElementById('map-status').textContent;
    return map.querySelector('.leaflet-overlay-pane canvas') !== null
        && status !== map.dataset.labelLoading && /\\b1\\b/.test(status);
}"""


@pytest.fixture
def actors(restored_site):
    """A vaccine maker and an antibody maker, neither named after its modality; the
    profiles' token strings are filled by ``ActorPage.save()``."""
    cartography = CartographyPage.objects.get()
    return {
        "vaccines": ActorPageFactory(
            parent=cartography,
            title="Marseille Immunisation Works",
            city="Marseille",
            latitude=43.30,
            longitude=5.37,
            summary="Clinical and commercial batches.",
            modalities=["vaccines"],
            stages=["production"],
        ),
        "antibodies": ActorPageFactory(
            parent=cartography,
            title="Lyon Biologics",
            city="Lyon",
            latitude=45.76,
            longitude=4.84,
            summary="Process development and GMP batches.",
            modalities=["monoclonal-antibodies"],
            stages=["production"],
        ),
    }


def organisations(page) -> list[str]:
    """The titles listed under the site search's "Organisations" heading."""
    return page.locator("#results-actors ~ ol .actor-card__title a").all_inner_texts()


def test_a_typo_in_the_header_search_is_corrected_accessibly(page, actors):
    open_page(page, "/")
    page.locator("#header-search-q").fill("vacine")
    page.locator("#header-search-q").press("Enter")
    page.wait_for_url("**/search/?q=vacine")

    notice = page.get_by_role("status").filter(has_text="Nothing matches")
    assert notice.inner_text().strip() == (
        "Nothing matches “vacine”; showing the results for “vaccine”."
    )
    assert [title.strip() for title in organisations(page)] == ["Marseille Immunisation Works"]
    assert page.locator("#site-search-q").input_value() == "vaccine"
    assert_no_violations(page)


def test_a_typo_in_the_cartography_is_corrected_accessibly(page, actors):
    open_page(page, "/cartography/?q=vacine")
    page.wait_for_function(MAP_SHOWS_ONE)

    message = page.locator(".notice--warning li")
    assert message.all_inner_texts() == [
        "No organisation matches “vacine”; showing those matching “vaccine”."
    ]
    listed = page.locator(".actor-list .actor-card__title a").all_inner_texts()
    assert listed == ["Marseille Immunisation Works"]
    assert page.locator("#cartography-q").input_value() == "vacine", "what was typed stays"
    assert_no_violations(page)


def test_an_acronym_finds_the_antibody_maker(page, actors):
    open_page(page, "/search/?q=mAb")
    assert [title.strip() for title in organisations(page)] == ["Lyon Biologics"]
    assert page.get_by_role("status").filter(has_text="Nothing matches").count() == 0
    assert_no_violations(page)
