"""The API's OpenAPI 3 schema (``schema/``, drf-spectacular) and its documentation
page (``docs/``), rendered on the server from the same schema: no script, so it works
under the site's Content-Security-Policy with nothing loaded from elsewhere."""

from __future__ import annotations

from functools import lru_cache

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.views import SpectacularAPIView

from cobioe_cms.core.api import ClientRateThrottle

METHODS = ("get", "head", "options")


class SchemaView(SpectacularAPIView):
    """The served schema, in YAML (default) or JSON (``?format=json``)."""

    throttle_classes = [ClientRateThrottle]


@lru_cache(maxsize=1)
def _schema() -> dict:
    # The schema depends on the code only: built once per process (about 0.1 s).
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
