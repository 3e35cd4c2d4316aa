"""The panorama in a real browser (issue 14): a visitor reads the statistics, builds a
cross-tabulation with the keyboard (CDMOs by country and scale), follows a cell to the
cartography filtered on that slice, and opens a country's factsheet. axe-core finds no
WCAG 2.1 A/AA violation on the panorama (plain, cross-tabulated, with bad parameters)
and a factsheet, in English and French; the open-data page and the API's documentation
are checked too."""

import pytest
from django.core.cache import cache

from cobioe_cms.actors.models import CartographyPage
from cobioe_cms.core.models import PortalHomePage
from cobioe_cms.panorama.models import CoverageEstimate, PanoramaPage
from tests.factories import ActorPageFactory

from .test_accessibility import assert_no_violations, open_page

# The live server needs transactional tests: see ``site_snapshot`` in conftest.py.
pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = pytest.mark.parametrize("prefix", ["", "/fr"])


@pytest.fixture
def panorama(restored_site):
    """Six actors in France, Germany and Portugal (three CDMOs, two at commercial scale),
    the panorama under the home page, and estimates for France, Iceland and Europe."""
    cache.clear()  # the statistics' snapshot of another test's actors
    cartography = CartographyPage.objects.first()
    for title, country, kind, scales in [
        ("Lyon Biologics", "FR", "cdmo", ["commercial"]),
        ("Toulouse Vectors", "FR", "cdmo", ["clinical"]),
        ("Paris Cell Lab", "FR", "academic-lab", []),
        ("Berlin Fill", "DE", "cdmo", ["commercial"]),
        ("Munich Antibodies", "DE", "company", ["clinical"]),
        ("Porto Cells", "PT", "company", []),
    ]:
        ActorPageFactory(
            parent=cartography,
            title=title,
            country=country,
            organisation_type=kind,
            scales=scales,
            stages=["production"],
            modalities=["monoclonal-antibodies"],
        )
    home = PortalHomePage.objects.get()
    page = PanoramaPage(title="Panorama", slug="panorama")
    home.add_child(instance=page)
    page.save_revision().publish()
    CoverageEstimate.objects.create(country="FR", value=10, year=2026, source="Census")
    CoverageEstimate.objects.create(country="IS", value=3, year=2026, source="Census")
    CoverageEstimate.objects.create(value=40, year=2026, source="Census")
    return page


def test_cross_tabulate_with_the_keyboard_and_follow_a_cell(page, panorama):
    from playwright.sync_api import expect

    open_page(page, "/panorama/")
    expect(page.get_by_role("heading", name="Panorama", level=1)).to_be_visible()
    # Rows: country; columns: scale; only the CDMOs — chosen and sent with the keyboard.
    page.get_by_label("Rows", exact=True).select_option("country")
    page.get_by_label("Columns", exact=True).select_option("scale")
    page.get_by_role("group", name="Only the actors with").get_by_label(
        "Organisation type"
    ).select_option("cdmo")
    page.get_by_role("button", name="Show").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/panorama/?*rows=country*")
    caption = page.locator("#crosstab-caption")
    expect(caption).to_contain_text("only")
    # France × commercial: one CDMO (Lyon Biologics); the cell leads to that slice.
    table = page.locator("table.panorama-table--crosstab")
    france = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name="France"))
    header_cells = table.locator("thead th")
    names = [name.strip() for name in header_cells.all_inner_texts()]
    commercial = next(i for i, name in enumerate(names) if "ommercial" in name)
    cell = france.locator("th, td").nth(commercial)
    expect(cell).to_have_text("1")
    cell.get_by_role("link").click()
    page.wait_for_url("**/cartography/?*")
    for parameter in ("country=FR", "scale=commercial", "type=cdmo"):
        assert parameter in page.url
    expect(page.get_by_role("link", name="Lyon Biologics")).to_be_visible()
    assert page.get_by_role("link", name="Toulouse Vectors").count() == 0

    # Back to the panorama, then France's factsheet.
    open_page(page, "/panorama/")
    page.get_by_role("link", name="France").first.click()
    page.wait_for_load_state()
    if "/countries/FR/" not in page.url:  # the first "France" link led to the cartography
        open_page(page, "/panorama/countries/FR/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("France")
    expect(page.get_by_text("3 actors mapped")).to_be_visible()
    assert_no_violations(page)


@LANGUAGES
@pytest.mark.parametrize(
    "query",
    ["", "?rows=country&cols=scale&type=cdmo", "?rows=nope&cols=nope&stage=no-such-stage"],
)
def test_panorama_passes_axe(page, panorama, prefix, query):
    open_page(page, f"{prefix}/panorama/{query}")
    assert_no_violations(page)


@LANGUAGES
@pytest.mark.parametrize("code", ["FR", "PT"])
def test_factsheet_passes_axe(page, panorama, prefix, code):
    open_page(page, f"{prefix}/panorama/countries/{code}/")
    assert_no_violations(page)


@pytest.mark.parametrize("path", ["/opendata/", "/api/v1/docs/"])
def test_open_data_pages_pass_axe(page, panorama, path):
    open_page(page, path)
    assert_no_violations(page)
