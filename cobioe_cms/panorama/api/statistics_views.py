"""The open-data API's statistics and coverage (``statistics/``, ``statistics/crosstab/``,
``statistics/growth/``, ``coverage/``): the panorama's numbers, from the same snapshot."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from cobioe_cms.actors.filters import shorten
from cobioe_cms.core import api
from cobioe_cms.core.api import ERRORS, bad_parameter
from cobioe_cms.core.countries import is_known_country

from .. import statistics
from ..coverage import coverage_summary
from ..models import PanoramaPage
from . import serializers as s
from .views import PanoramaAPIView, cartography_url

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
