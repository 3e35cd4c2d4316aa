"""schemathesis against the API's served OpenAPI schema, on a live server: every
operation with generated parameters (valid and invalid) answers without a server error,
with a status, content type, headers and body that the schema documents."""

import datetime

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from wagtail.models import Site

from tests.factories import ActorPageFactory, NewsPageFactory, WorkingGroupPageFactory

# A bad parameter must be a documented 4xx and every answer match the schema. Whether
# a schema-valid value is accepted is not checked (positive_data_acceptance): a page
# past the last one, or search text of punctuation only, is valid by type and a 400.
EXAMPLES = 10  # per operation and mode: about 250 requests in all
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_data(restored_site, settings):
    """A few of everything the API serves, and rate limits out of the way."""
    from cobioe_cms.actors.models import CartographyPage
    from cobioe_cms.community.models import (
        OpportunityBoardPage,
        OpportunityPage,
        WorkingGroupIndexPage,
    )
    from cobioe_cms.core.models import ValueChainStage
    from cobioe_cms.news.models import NewsIndexPage
    from cobioe_cms.panorama import statistics
    from cobioe_cms.panorama.models import CoverageEstimate

    settings.COBIOE_API_THROTTLE_RATES = {"burst": "100000/min", "anonymous": "100000/hour"}
    cartography = CartographyPage.objects.get()
    home = Site.objects.get(is_default_site=True).root_page
    actors = [
        ActorPageFactory(
            parent=cartography, title="Alpha Bio", country="FR", organisation_type="cdmo",
            stages=["production"], modalities=["vaccines"], scales=["commercial"],
            gmp_status="gmp-certified", latitude=45.7, longitude=4.8, year_founded=1999,
        ),
        ActorPageFactory(
            parent=cartography, title="Beta Lab", country="DE", stages=["fill-finish"]
        ),
        ActorPageFactory(parent=cartography, title="Gamma", country="BE", modalities=["vaccines"]),
    ]  # fmt: skip
    news_index = home.add_child(instance=NewsIndexPage(title="News", slug="news"))
    NewsPageFactory(
        parent=news_index, stages=["production"], countries=["FR"], related_actors=actors[:2]
    )
    groups = home.add_child(instance=WorkingGroupIndexPage(title="Groups", slug="groups"))
    WorkingGroupPageFactory(parent=groups, stages=["production"], countries=["FR"])
    board = home.add_child(instance=OpportunityBoardPage(title="Board", slug="board"))
    offer = OpportunityPage(
        title="Fill-finish capacity",
        organisation=actors[0],
        kind=OpportunityPage.Kind.CAPACITY,
        description="Spare capacity.",
        expires_on=datetime.date.today() + datetime.timedelta(days=30),
    )
    board.add_child(instance=offer)
    offer.save_revision().publish()
    CoverageEstimate.objects.create(country="FR", value=5, year=2025, source="Survey")
    CoverageEstimate.objects.create(
        stage=ValueChainStage.objects.get(slug="production"), value=3, year=2025, source="Study"
    )
    statistics.invalidate()


def run_operation(operation, base_url: str, mode) -> list[str]:
    """Hypothesis cases of ``operation`` in ``mode``; the failures' descriptions."""
    failures: list[str] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    def run(case):
        try:
            case.call_and_validate(base_url=base_url, checks=CHECKS)
        except AssertionError as error:  # schemathesis' failures are AssertionErrors
            failures.append(f"{operation.label} [{mode.value}]: {str(error)[:1500]}")

    try:
        run()
    except Unsatisfiable:
        # No invalid input exists (every string is a valid value of a free-text or
        # slug parameter): nothing to send in negative mode.
        if mode is GenerationMode.POSITIVE:
            raise
    return failures


def test_every_operation_conforms(api_data, live_server):
    """The served schema's every operation, with valid then invalid parameters."""
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/?format=json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 13  # the panorama's 11 and the community's 2
    failures = []
    for operation in operations:
        assert operation.path.startswith("/api/v1/"), operation.path
        failures += run_operation(operation, live_server.url, GenerationMode.POSITIVE)
        if operation.query or operation.path_parameters:
            failures += run_operation(operation, live_server.url, GenerationMode.NEGATIVE)
    assert not failures, "\n\n".join(failures)
