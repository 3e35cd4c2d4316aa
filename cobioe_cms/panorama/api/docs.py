"""The API's OpenAPI 3 schema (``schema/``, drf-spectacular) and its documentation
page (``docs/``), rendered on the server from the same schema: no script, so it works
under the site's Content-Security-Policy with nothing loaded from elsewhere."""

from __future__ import annotations

from django.db import DatabaseError
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.views import SpectacularAPIView
from rest_framework.negotiation import DefaultContentNegotiation

from cobioe_cms.core.api import ClientRateThrottle

METHODS = ("get", "head", "options")


class FormatParameterNegotiation(DefaultContentNegotiation):
    """``?format=json`` chooses the schema's format (the API's other views take no
    ``format``: ``URL_FORMAT_OVERRIDE`` is off in the settings)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        wanted = format_suffix or request.query_params.get("format") or None
        return super().select_renderer(request, renderers, format_suffix=wanted)


class SchemaView(SpectacularAPIView):
    """The served schema, in YAML (default) or JSON (``?format=json``)."""

    throttle_classes = [ClientRateThrottle]
    content_negotiation_class = FormatParameterNegotiation


def _schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def _type(schema: dict) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    kind = schema.get("type", "")
    if kind == "array":
        return f"{_type(schema.get('items', {}))}[]"
    return kind


def operations(schema: dict) -> list[dict]:
    """Each operation of ``schema`` with its parameters and responses, for the page."""
    found = []
    for route, item in schema.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if not operation:
                continue
            found.append(
                {
                    "id": operation.get("operationId", f"{method}-{route}"),
                    "method": method.upper(),
                    "path": route,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": parameter["name"],
                            "where": parameter["in"],
                            "required": parameter.get("required", False),
                            "type": _type(parameter.get("schema", {})),
                            "values": ", ".join(parameter.get("schema", {}).get("enum", ())),
                            "description": parameter.get("description", ""),
                        }
                        for parameter in operation.get("parameters", ())
                    ],
                    "responses": [
                        {"status": status, "description": response.get("description", "")}
                        for status, response in operation.get("responses", {}).items()
                    ],
                }
            )
    return found


def docs_page(request):
    """The browsable documentation of every operation, parameter and error."""
    schema = _schema()
    return render(
        request,
        "cobioe_panorama/api_docs.html",
        {
            "info": schema.get("info", {}),
            "operations": operations(schema),
            "schema_url": reverse("cobioe_api:schema"),
            "root_url": reverse("cobioe_api:root"),
        },
    )


def not_found(request, *args, **kwargs):
    """Any other path under the API's prefix: a JSON 404, as the API's own."""
    return JsonResponse({"detail": _("No such endpoint: see /api/v1/.")}, status=404)


def known_values() -> dict[str, list[str]]:
    """Query parameter -> its valid values: the countries of Europe and each
    taxonomy's slugs (the same parameter names in every endpoint)."""
    from cobioe_cms.core.countries import EUROPE
    from cobioe_cms.core.vocabulary import PROFILE_FACETS

    values = {"country": sorted(EUROPE)}
    for facet in PROFILE_FACETS:
        values[facet.url_key] = list(facet.model.objects.values_list("slug", flat=True))
    return values


def add_value_enums(result, generator, request, public):
    """drf-spectacular's postprocessing hook: each country or taxonomy parameter lists
    its values (read when the schema is built), so that readers and generated tests
    know them. Without the taxonomies' tables (``manage.py check --deploy`` before
    ``migrate`` builds the schema too) the parameters are left without values."""
    try:
        values = known_values()
    except DatabaseError:
        return result
    for item in result.get("paths", {}).values():
        for operation in item.values():
            for parameter in operation.get("parameters", ()):
                if parameter.get("in") != "query" or parameter["name"] not in values:
                    continue
                schema = parameter.get("schema", {})
                target = schema.get("items", schema) if schema.get("type") == "array" else schema
                target["enum"] = values[parameter["name"]]
    return result
