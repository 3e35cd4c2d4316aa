"""The shapes of the API's answers: they render the answers and document them in the
OpenAPI schema, so the schema cannot drift from what is served (schemathesis checks
the served answers against it)."""

from __future__ import annotations

from rest_framework import serializers


def slugs(**kwargs) -> serializers.ListField:
    return serializers.ListField(child=serializers.SlugField(), **kwargs)


class ActorSerializer(serializers.Serializer):
    """A published actor: the public fields of the cartography's exports (never the
    contact e-mail or phone), its stable ``id`` and the absolute ``url`` of its profile.
    Taxonomy values are term slugs (``taxonomies/``)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    acronym = serializers.CharField(allow_blank=True)
    url = serializers.URLField()
    organisation_type = serializers.CharField(allow_blank=True)
    country = serializers.CharField(help_text="ISO 3166-1 alpha-2 code.")
    region = serializers.CharField(allow_blank=True)
    city = serializers.CharField(allow_blank=True)
    postcode = serializers.CharField(allow_blank=True)
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    location_precision = serializers.CharField(allow_blank=True)
    stages = slugs()
    modalities = slugs()
    therapeutic_areas = slugs()
    services = slugs()
    scales = slugs()
    expression_systems = slugs()
    gmp_status = serializers.CharField(allow_blank=True)
    max_bioreactor_volume_litres = serializers.IntegerField(allow_null=True)
    size = serializers.CharField(allow_blank=True)
    year_founded = serializers.IntegerField(allow_null=True)
    website = serializers.CharField(allow_blank=True)
    keywords = serializers.ListField(child=serializers.CharField())
    verified = serializers.BooleanField()
    last_reviewed = serializers.DateField(allow_null=True)
    demo_data = serializers.BooleanField()


class TermSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField(help_text="English name.")
    name_fr = serializers.CharField(allow_blank=True, help_text="French name ('' if none).")
    parent = serializers.SlugField(allow_null=True, help_text="Parent term's slug (stages).")
    order = serializers.IntegerField()


class TaxonomySerializer(serializers.Serializer):
    kind = serializers.SlugField(help_text="The cartography's query parameter for it.")
    label = serializers.CharField()
    url = serializers.URLField()
    terms = TermSerializer(many=True)


class CountSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Country code or term slug.")
    label = serializers.CharField()
    count = serializers.IntegerField()
    cartography_url = serializers.CharField(allow_blank=True)


class DimensionCountsSerializer(serializers.Serializer):
    dimension = serializers.CharField()
    label = serializers.CharField()
    values = CountSerializer(many=True)


class StatisticsSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="Actors in the slice.")
    slice = serializers.DictField(child=serializers.CharField())
    dimensions = DimensionCountsSerializer(many=True)


class AxisValueSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class CrosstabSerializer(serializers.Serializer):
    rows = serializers.CharField()
    cols = serializers.CharField()
    slice = serializers.DictField(child=serializers.CharField())
    row_values = AxisValueSerializer(many=True)
    col_values = AxisValueSerializer(many=True)
    cells = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField()),
        help_text="cells[i][j]: actors with row value i and column value j.",
    )


class YearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    new = serializers.IntegerField(help_text="Actors first published that year.")
    total = serializers.IntegerField(help_text="Actors published by the end of it.")


class GrowthSerializer(serializers.Serializer):
    slice = serializers.DictField(child=serializers.CharField())
    years = YearSerializer(many=True)


class CoverageRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    country = serializers.CharField(allow_blank=True)
    stage = serializers.CharField(allow_blank=True)
    mapped = serializers.IntegerField()
    estimate = serializers.IntegerField(allow_null=True)
    year = serializers.IntegerField(allow_null=True)
    source = serializers.CharField(allow_blank=True)
    source_url = serializers.CharField(allow_blank=True)
    percent = serializers.FloatField(allow_null=True, help_text="Mapped ÷ estimate, in %.")
    target = serializers.IntegerField(allow_null=True, help_text="Actors to map for the goal.")
    missing = serializers.IntegerField(help_text="Actors still to map to reach the goal.")
    reached = serializers.BooleanField()
    cartography_url = serializers.CharField(allow_blank=True)


class CoverageSerializer(serializers.Serializer):
    goal = serializers.IntegerField(help_text="The coverage goal, in %.")
    total = CoverageRowSerializer(allow_null=True)
    total_basis = serializers.CharField(
        allow_blank=True,
        help_text="'europe': an estimate of all Europe; 'sum': the countries' estimates.",
    )
    countries = CoverageRowSerializer(many=True)
    unestimated = CoverageRowSerializer(many=True)
    stages = CoverageRowSerializer(many=True)
    country_stages = CoverageRowSerializer(many=True)
    gaps = CoverageRowSerializer(many=True)


class NewsSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    date = serializers.DateField()
    summary = serializers.CharField(allow_blank=True)
    url = serializers.URLField()
    stages = slugs()
    modalities = slugs()
    therapeutic_areas = slugs()
    tags = serializers.ListField(child=serializers.CharField())
    countries = serializers.ListField(child=serializers.CharField())
    related_actors = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ids of published actors (actors/<id>/)."
    )


class EndpointSerializer(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.URLField()


class RootSerializer(serializers.Serializer):
    endpoints = EndpointSerializer(many=True)
    schema = serializers.URLField()
    documentation = serializers.URLField()
