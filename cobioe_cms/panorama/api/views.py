"""The panorama's API views: actors, taxonomies, statistics, coverage, news, the root.

Actors go through the cartography's own query builder
(:class:`~cobioe_cms.actors.filters.ActorFilter`) over the live cartography's actors,
and are written by the exports' :func:`~cobioe_cms.actors.exports.actor_records`, so
the API, the directory and the exports list the same actors in the same order with the
same fields. Statistics and coverage read the panorama's snapshot
(:mod:`cobioe_cms.panorama.statistics`), as the panorama's pages do.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from cobioe_cms.actors.exports import actor_records
from cobioe_cms.actors.filters import FACETS, SORTS, ActorFilter, shorten
from cobioe_cms.actors.models import ActorPage, CartographyPage
from cobioe_cms.core import api, vocabulary
from cobioe_cms.core.api import ERRORS, NOT_FOUND, PAGE_PARAMETERS, bad_parameter
from cobioe_cms.core.countries import is_known_country
from cobioe_cms.news.models import NewsPage
from cobioe_cms.news.topics import TOPIC_KINDS

from .. import statistics
from ..coverage import coverage_summary
from ..models import PanoramaPage
from . import serializers as s

TAG = "actors"


class PanoramaAPIView(api.ReadOnlyAPIView):
    """Last modified: also when the statistics were last invalidated (imports, merges
    and taxonomy changes, which Wagtail's log does not hold)."""

    def last_modified(self) -> datetime:
        invalidated = datetime.fromtimestamp(statistics.generation() / 1e9, tz=UTC)
        return api.data_last_modified(invalidated)


def live_cartography() -> CartographyPage:
    cartography = CartographyPage.objects.live().first()
    if cartography is None:
        raise api.not_found(_("No cartography is published."))
    return cartography


def cartography_url(request) -> str:
    """The live cartography's absolute URL ("" without one)."""
    cartography = CartographyPage.objects.live().first()
    url = cartography.get_url(request) if cartography else None
    return request.build_absolute_uri(url) if url else ""


# -- actors -----------------------------------------------------------------------------

ACTOR_PARAMETERS = [
    OpenApiParameter(
        "q", str, description=gettext_lazy("Text to search in names, places and descriptions.")
    ),
    *(
        OpenApiParameter(
            facet.key,
            str,
            many=True,
            explode=True,
            description=gettext_lazy(
                "Values of this facet (country codes or term slugs from taxonomies/), "
                "ORed; facets are ANDed. An unknown value is a 400."
            ),
        )
        for facet in FACETS
    ),
    OpenApiParameter(
        "verified", str, enum=["1", "true", "on"], description=gettext_lazy("Verified only.")
    ),
    OpenApiParameter(
        "sort",
        str,
        enum=list(SORTS),
        description=gettext_lazy("Order (default: name; relevance with a text query)."),
    ),
]


def actor_filter_of(request, cartography: CartographyPage) -> ActorFilter:
    """The cartography's filter of the request; its messages about bad input are a 400
    (a corrected misspelling is not: the directory shows the corrected results too)."""
    actor_filter = ActorFilter(request.query_params, cartography.actors())
    messages = list(actor_filter.messages)
    corrected = actor_filter.text_query.corrected_from
    if corrected:
        notice = _("No organisation matches “%(typed)s”; showing those matching “%(text)s”.") % {
            "typed": shorten(actor_filter.text_query.typed),
            "text": shorten(actor_filter.text_query.text),
        }
        messages = [message for message in messages if message != notice]
    if messages:
        raise ValidationError({"detail": " ".join(messages), "errors": {"query": messages}})
    return actor_filter


def records_with_ids(rows: list[tuple[int, str]], base_url: str) -> list[dict]:
    """The exports' public records of the actors ``rows`` ((id, slug) pairs, in the
    order to give), each with its id first. An actor deleted meanwhile is left out."""
    ids = [pk for pk, _slug in rows]
    records = actor_records(ActorPage.objects.filter(pk__in=ids), base_url, contacts=False)
    by_url = {record["url"]: record for record in records}
    ordered = []
    for pk, slug in rows:
        record = by_url.get(f"{base_url}{slug}/")
        if record is not None:
            ordered.append({"id": pk, **record})
    return ordered


class ActorListView(PanoramaAPIView):
    @extend_schema(
        tags=[TAG],
        summary="Published actors",
        description="The cartography's actors, filtered and ordered as the cartography "
        "(same parameters, same results as the directory and its exports).",
        parameters=[*ACTOR_PARAMETERS, *PAGE_PARAMETERS],
        responses={200: s.ActorSerializer(many=True), **ERRORS, **NOT_FOUND},
    )
    def get(self, request):
        cartography = live_cartography()
        actor_filter = actor_filter_of(request, cartography)
        base_url = request.build_absolute_uri(cartography.get_url(request))
        paginator = api.LinkedPagination()
        rows = paginator.paginate_queryset(
            actor_filter.queryset().values_list("pk", "slug"), request, view=self
        )
        records = records_with_ids(rows, base_url)
        return paginator.get_paginated_response(s.ActorSerializer(records, many=True).data)


class ActorDetailView(PanoramaAPIView):
    pagination_class = None

    @extend_schema(
        tags=[TAG],
        summary="One published actor",
        responses={200: s.ActorSerializer, **NOT_FOUND, 429: ERRORS[429]},
    )
    def get(self, request, actor_id: str):
        pk = api.parse_id(actor_id)
        cartography = live_cartography()
        actors = cartography.actors().filter(pk=pk, merged_into__isnull=True)
        base_url = request.build_absolute_uri(cartography.get_url(request))
        records = records_with_ids(list(actors.values_list("pk", "slug")), base_url)
        if not records:
            raise api.not_found(_("No published actor has this id."))
        return Response(s.ActorSerializer(records[0]).data)


# -- taxonomies ---------------------------------------------------------------------


def taxonomy_data(request, facet: vocabulary.Facet) -> dict:
    model = facet.model
    has_parent = hasattr(model, "parent_id")
    terms = model.objects.select_related("parent") if has_parent else model.objects.all()
    return {
        "kind": facet.url_key,
        "label": str(facet.label),
        "url": request.build_absolute_uri(
            reverse("cobioe_api:taxonomy", kwargs={"kind": facet.url_key})
        ),
        "terms": [
            {
                "slug": term.slug,
                "name": term.name,
                "name_fr": term.name_fr,
                "parent": term.parent.slug if has_parent and term.parent_id else None,
                "order": term.sort_order,
            }
            for term in terms
        ],
    }


FACETS_BY_KIND = {facet.url_key: facet for facet in vocabulary.PROFILE_FACETS}


class TaxonomyListView(api.ReadOnlyAPIView):
    pagination_class = None

    def last_modified(self) -> datetime:
        return PanoramaAPIView.last_modified(self)

    @extend_schema(
        tags=["taxonomies"],
        summary="Every taxonomy and its terms",
        responses={200: s.TaxonomySerializer(many=True), 429: ERRORS[429]},
    )
    def get(self, request):
        data = [taxonomy_data(request, facet) for facet in vocabulary.PROFILE_FACETS]
        return Response(s.TaxonomySerializer(data, many=True).data)


class TaxonomyDetailView(TaxonomyListView):
    @extend_schema(
        tags=["taxonomies"],
        summary="One taxonomy's terms",
        parameters=[
            OpenApiParameter(
                "kind",
                str,
                OpenApiParameter.PATH,
                enum=list(FACETS_BY_KIND),
                description=gettext_lazy("The taxonomy: the cartography's parameter for it."),
            )
        ],
        responses={200: s.TaxonomySerializer, **NOT_FOUND, 429: ERRORS[429]},
    )
    def get(self, request, kind: str):
        facet = FACETS_BY_KIND.get(kind)
        if facet is None:
            raise api.not_found(_("No taxonomy is named “%(kind)s”.") % {"kind": kind[:40]})
        return Response(s.TaxonomySerializer(taxonomy_data(request, facet)).data)


# -- statistics ------------------------------------------------------------------------

SLICE_PARAMETERS = [
    OpenApiParameter(
        key,
        str,
        description=gettext_lazy(
            "Count only the actors with this value (one value; country code or term slug)."
        ),
    )
    for key in statistics.DIMENSIONS
]


def parse_slice(request, exclude: tuple[str, ...] = ()) -> dict[str, str]:
    """The slice ``{dimension: value}`` of the query string; unknown values are a 400."""
    snapshot = statistics.get_snapshot()
    where: dict[str, str] = {}
    for key in statistics.DIMENSIONS:
        if key in exclude:
            continue
        values = request.query_params.getlist(key)
        if not values:
            continue
        if len(values) > 1:
            raise bad_parameter(key, _("Give one value of “%(key)s” at most.") % {"key": key})
        raw = values[0].strip()
        value = raw.upper() if key == "country" else raw.lower()
        # A country of Europe without actors is a slice of none, not an error.
        if snapshot.value(key, value) is None and not (
            key == "country" and is_known_country(value)
        ):
            raise bad_parameter(
                key,
                _("“%(value)s” is not a known value of “%(key)s”.")
                % {"value": shorten(raw), "key": key},
            )
        where[key] = value
    return where


def slice_url(base: str, where: dict[str, str]) -> str:
    if not base:
        return ""
    return f"{base}?{urlencode(where)}" if where else base


def dimension_param(request, name: str, required: bool) -> str | None:
    raw = request.query_params.get(name, "")
    if not raw:
        if required:
            raise bad_parameter(name, _("“%(name)s” is required.") % {"name": name})
        return None
    if raw not in statistics.DIMENSIONS:
        raise bad_parameter(
            name,
            _("“%(value)s” is not a dimension; use one of: %(choices)s.")
            % {"value": shorten(raw), "choices": ", ".join(statistics.DIMENSIONS)},
        )
    return raw


class StatisticsView(PanoramaAPIView):
    pagination_class = None

    @extend_schema(
        tags=["statistics"],
        summary="Actors per value of each dimension",
        description="Counts of the published actors per country, organisation type, stage, "
        "modality, therapeutic area, scale and GMP status (values without actors left out), "
        "in a slice given by the same parameters.",
        parameters=[
            OpenApiParameter(
                "dimension",
                str,
                enum=list(statistics.DIMENSIONS),
                description=gettext_lazy("Only this dimension (default: all)."),
            ),
            *SLICE_PARAMETERS,
        ],
        responses={200: s.StatisticsSerializer, **ERRORS},
    )
    def get(self, request):
        only = dimension_param(request, "dimension", required=False)
        where = parse_slice(request)
        base = cartography_url(request)
        snapshot = statistics.get_snapshot()
        dimensions = [only] if only else list(statistics.DIMENSIONS)
        data = {
            "total": snapshot.slice_bits(where).bit_count(),
            "slice": where,
            "dimensions": [
                {
                    "dimension": key,
                    "label": str(statistics.DIMENSIONS[key].label),
                    "values": [
                        {
                            "key": count.value.key,
                            "label": count.value.label,
                            "count": count.count,
                            "cartography_url": slice_url(base, {**where, key: count.value.key}),
                        }
                        for count in statistics.counts(key, where)
                    ],
                }
                for key in dimensions
            ],
        }
        return Response(s.StatisticsSerializer(data).data)


class CrosstabView(PanoramaAPIView):
    pagination_class = None

    @extend_schema(
        tags=["statistics"],
        summary="Cross-tabulation of two dimensions",
        parameters=[
            OpenApiParameter(
                "rows",
                str,
                required=True,
                enum=list(statistics.DIMENSIONS),
                description=gettext_lazy("The dimension of the rows."),
            ),
            OpenApiParameter(
                "cols",
                str,
                required=True,
                enum=list(statistics.DIMENSIONS),
                description=gettext_lazy("The dimension of the columns (not the rows')."),
            ),
            *SLICE_PARAMETERS,
        ],
        responses={200: s.CrosstabSerializer, **ERRORS},
    )
    def get(self, request):
        rows = dimension_param(request, "rows", required=True)
        cols = dimension_param(request, "cols", required=True)
        if rows == cols:
            raise bad_parameter("cols", _("Rows and columns must be two different dimensions."))
        where = parse_slice(request)
        row_values, col_values, cells = statistics.crosstab(rows, cols, where)
        data = {
            "rows": rows,
            "cols": cols,
            "slice": where,
            "row_values": [{"key": v.key, "label": v.label} for v in row_values],
            "col_values": [{"key": v.key, "label": v.label} for v in col_values],
            "cells": cells,
        }
        return Response(s.CrosstabSerializer(data).data)


class GrowthView(PanoramaAPIView):
    pagination_class = None

    @extend_schema(
        tags=["statistics"],
        summary="Actors per year of first publication",
        parameters=SLICE_PARAMETERS,
        responses={200: s.GrowthSerializer, **ERRORS},
    )
    def get(self, request):
        where = parse_slice(request)
        years = [
            {"year": year, "new": new, "total": total}
            for year, new, total in statistics.growth(where)
        ]
        return Response(s.GrowthSerializer({"slice": where, "years": years}).data)


# -- coverage ----------------------------------------------------------------------------


def coverage_row(request, row) -> dict:
    return {
        "label": str(row.label),
        "country": row.country,
        "stage": row.stage,
        "mapped": row.mapped,
        "estimate": row.estimate,
        "year": row.year,
        "source": row.source,
        "source_url": row.source_url,
        "percent": round(row.percent, 1) if row.percent is not None else None,
        "target": row.target,
        "missing": row.missing,
        "reached": row.reached,
        "cartography_url": request.build_absolute_uri(row.cartography_url)
        if row.cartography_url
        else "",
    }


class CoverageView(PanoramaAPIView):
    pagination_class = None

    def last_modified(self) -> datetime:
        from django.db.models import Max

        from ..models import CoverageEstimate

        edited = CoverageEstimate.objects.aggregate(latest=Max("updated_at"))["latest"]
        invalidated = datetime.fromtimestamp(statistics.generation() / 1e9, tz=UTC)
        return api.data_last_modified(invalidated, *([edited] if edited else []))

    @extend_schema(
        tags=["statistics"],
        summary="Coverage: mapped actors against the reference estimates",
        description="Per country, per stage and for Europe: mapped actors, the latest "
        "estimate, mapped ÷ estimate and the actors still to map to reach the goal; "
        "the largest gaps first in `gaps`.",
        responses={200: s.CoverageSerializer, 429: ERRORS[429]},
    )
    def get(self, request):
        panorama = PanoramaPage.objects.live().first()
        goal = panorama.coverage_goal if panorama else 90
        summary = coverage_summary(goal, request)
        data = {
            "goal": goal,
            "total": coverage_row(request, summary.total) if summary.total else None,
            "total_basis": summary.total_basis,
            **{
                name: [coverage_row(request, row) for row in getattr(summary, name)]
                for name in ("countries", "unestimated", "stages", "country_stages", "gaps")
            },
        }
        return Response(s.CoverageSerializer(data).data)


# -- news ----------------------------------------------------------------------------------

NEWS_PARAMETERS = [
    OpenApiParameter(
        kind,
        str,
        description=gettext_lazy("Only news about this topic (country code or term slug)."),
    )
    for kind in TOPIC_KINDS
]


def news_queryset():
    visible = ActorPage.objects.live().public().only("pk")
    return (
        NewsPage.objects.live()
        .public()
        .newest_first()
        .with_topics()
        .prefetch_related(Prefetch("related_actors", queryset=visible, to_attr="visible_actors"))
    )


def news_data(request, item: NewsPage) -> dict:
    return {
        "id": item.pk,
        "title": item.title,
        "date": item.date,
        "summary": item.summary,
        "url": request.build_absolute_uri(item.get_url(request)),
        "stages": [term.slug for term in item.stages.all()],
        "modalities": [term.slug for term in item.modalities.all()],
        "therapeutic_areas": [term.slug for term in item.therapeutic_areas.all()],
        "tags": [tag.name for tag in item.tags.all()],
        "countries": [country.code for country in item.countries],
        "related_actors": sorted(actor.pk for actor in item.visible_actors),
    }


class NewsListView(PanoramaAPIView):
    @extend_schema(
        tags=["news"],
        summary="Published news, newest first",
        parameters=[*NEWS_PARAMETERS, *PAGE_PARAMETERS],
        responses={200: s.NewsSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        items = news_queryset()
        for kind in TOPIC_KINDS:
            values = request.query_params.getlist(kind)
            if not values:
                continue
            if len(values) > 1:
                raise bad_parameter(kind, _("Give one value of “%(key)s” at most.") % {"key": kind})
            about = NewsPage.objects.about(kind, values[0].strip())
            if not self.known_topic(kind, values[0].strip()):
                raise bad_parameter(
                    kind,
                    _("“%(value)s” is not a known value of “%(key)s”.")
                    % {"value": shorten(values[0]), "key": kind},
                )
            items = items.filter(pk__in=about.values("pk"))
        paginator = api.LinkedPagination()
        page = paginator.paginate_queryset(items, request, view=self)
        data = [news_data(request, item) for item in page]
        return paginator.get_paginated_response(s.NewsSerializer(data, many=True).data)

    @staticmethod
    def known_topic(kind: str, value: str) -> bool:
        topic_kind = TOPIC_KINDS[kind]
        if topic_kind.model is None:
            return is_known_country(value.upper())
        return len(value) <= 60 and topic_kind.model.objects.filter(slug=value).exists()


class NewsDetailView(PanoramaAPIView):
    pagination_class = None

    @extend_schema(
        tags=["news"],
        summary="One published news item",
        responses={200: s.NewsSerializer, **NOT_FOUND, 429: ERRORS[429]},
    )
    def get(self, request, news_id: str):
        pk = api.parse_id(news_id)
        item = news_queryset().filter(pk=pk).first()
        if item is None:
            raise api.not_found(_("No published news item has this id."))
        return Response(s.NewsSerializer(news_data(request, item)).data)


# -- the root ----------------------------------------------------------------------------

ENDPOINTS = (
    ("actors", "cobioe_api:actors"),
    ("taxonomies", "cobioe_api:taxonomies"),
    ("statistics", "cobioe_api:statistics"),
    ("statistics/crosstab", "cobioe_api:crosstab"),
    ("statistics/growth", "cobioe_api:growth"),
    ("coverage", "cobioe_api:coverage"),
    ("news", "cobioe_api:news"),
)


class RootView(api.ReadOnlyAPIView):
    pagination_class = None

    @extend_schema(
        tags=["root"],
        summary="The API's endpoints",
        responses={200: s.RootSerializer, 429: ERRORS[429]},
    )
    def get(self, request):
        endpoints = [
            {"name": name, "url": request.build_absolute_uri(reverse(url_name))}
            for name, url_name in ENDPOINTS
        ]
        endpoints += [
            {
                "name": endpoint.route.rstrip("/"),
                "url": request.build_absolute_uri(reverse(f"cobioe_api:{endpoint.name}")),
            }
            for endpoint in api.registered_urls()
            if endpoint.listed
        ]
        data = {
            "endpoints": endpoints,
            "schema": request.build_absolute_uri(reverse("cobioe_api:schema")),
            "documentation": request.build_absolute_uri(reverse("cobioe_api:docs")),
        }
        return Response(s.RootSerializer(data).data)
