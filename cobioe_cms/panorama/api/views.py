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
