"""What every endpoint of the open-data API (``/api/v1/``) shares, and the registry
through which apps add theirs.

- :func:`register`: an app adds endpoints (``cobioe_cms.community.api`` its groups and
  opportunities) without the API's URLconf importing it; the panorama's
  ``api_urls`` reads :func:`registered_urls` when the URLs load (after every app's
  ``ready``), and the API's root lists them.
- :class:`ReadOnlyAPIView`: GET, HEAD and OPTIONS only (anything else: 405), no
  authentication (the API serves public data only), a rate limit per client that holds
  across workers (:class:`ClientRateThrottle`), and conditional answers: an ``ETag`` of
  the body and a ``Last-Modified`` of the data, with 304 for ``If-None-Match`` and
  ``If-Modified-Since``.
- :class:`LinkedPagination`: ``count``, ``next``, ``previous``, ``results``; a page that
  does not exist is a 400 that says why.
- :func:`exception_handler`: every error is JSON, ``{"detail": "..."}`` (with
  ``"errors"`` per parameter for a 400).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.paginator import InvalidPage
from django.db.models import Max
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from .conf import conf
from .ratelimit import client_ip

# Ids of pages are database integers: a larger one can only be a 404.
MAX_ID = 2**63 - 1


# -- the registry --------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    """One registered route of the API: ``route`` under ``/api/v1/`` (Django's path
    syntax), the view, its URL name, and whether the root lists it (a collection)."""

    route: str
    view: Callable
    name: str
    listed: bool = True


_registry: list[Endpoint] = []


def register(route: str, view: Callable, name: str, listed: bool = True) -> None:
    """Add an endpoint under ``/api/v1/`` (call it from an app's ``ready``, or from a
    module imported there). Registering the same name twice keeps the first."""
    if any(endpoint.name == name for endpoint in _registry):
        return
    _registry.append(Endpoint(route, view, name, listed))


def registered_urls() -> list[Endpoint]:
    return list(_registry)


def only_open_data(endpoints, **kwargs):
    """drf-spectacular's preprocessing hook: the schema describes ``/api/v1/`` only,
    not the other DRF views of the site (Wagtail's admin API)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


# -- errors ----------------------------------------------------------------------------


def exception_handler(exc, context):
    """DRF's handler, with every message under ``detail``: a 400 of field errors
    becomes ``{"detail": "<the first message>", "errors": {"<param>": [...]}}``."""
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, dict) and "detail" not in data:
        first = next(iter(data.values()), "")
        if isinstance(first, list):
            first = first[0] if first else ""
        response.data = {"detail": str(first), "errors": data}
    elif isinstance(data, list):
        response.data = {"detail": " ".join(str(item) for item in data)}
    return response


def bad_parameter(name: str, message: str) -> ValidationError:
    """A 400 about one query parameter."""
    return ValidationError({name: [message]})


ERROR = inline_serializer(
    "Error",
    fields={
        "detail": serializers.CharField(),
        "errors": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()), required=False
        ),
    },
)
ERRORS = {
    400: OpenApiResponse(ERROR, description=gettext_lazy("A parameter is not valid.")),
    429: OpenApiResponse(ERROR, description=gettext_lazy("Too many requests: wait and retry.")),
}
NOT_FOUND = {404: OpenApiResponse(ERROR, description=gettext_lazy("No such object."))}


# -- rate limits -----------------------------------------------------------------------


class ClientRateThrottle(SimpleRateThrottle):
    """Requests per client address (:func:`~cobioe_cms.core.ratelimit.client_ip`, the
    same address the site's other limits count), counted in the default cache (shared
    by the workers). The rate is read from ``COBIOE_API_THROTTLE_RATES`` on every
    request, not at import as DRF's own settings are, so a site (or a test) may change it."""

    scope = "anonymous"

    def get_rate(self) -> str | None:
        return conf.API_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


class BurstRateThrottle(ClientRateThrottle):
    """A short window against bursts, besides the hourly budget."""

    scope = "burst"


# -- pagination ------------------------------------------------------------------------


class LinkedPagination(PageNumberPagination):
    """``?page=`` (from 1) and ``?page_size=`` (up to 100); ``next``/``previous`` are
    absolute URLs or null. A page that is not a number, below 1 or past the last is a
    400 with a message (DRF's default is a 404)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param, "")
        if not raw:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            raise bad_parameter(
                "page_size",
                _("“%(value)s” is not a number of items per page.") % {"value": raw[:20]},
            ) from None
        if not 1 <= size <= self.max_page_size:
            raise bad_parameter(
                "page_size",
                _("The page size must be between 1 and %(max)d.") % {"max": self.max_page_size},
            )
        return size

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        page_size = self.get_page_size(request)
        paginator = self.django_paginator_class(queryset, page_size)
        raw = request.query_params.get(self.page_query_param, "") or "1"
        try:
            number = int(raw)
        except ValueError:
            raise bad_parameter(
                "page", _("“%(value)s” is not a page number.") % {"value": raw[:20]}
            ) from None
        if number < 1:
            raise bad_parameter("page", _("Page numbers start at 1."))
        try:
            self.page = paginator.page(number)
        except InvalidPage:
            raise bad_parameter(
                "page",
                _("There is no page %(number)d: the last one is %(last)d.")
                % {"number": number, "last": paginator.num_pages},
            ) from None
        return list(self.page)

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["count", "next", "previous", "results"]
        return response


PAGE_PARAMETERS = [
    OpenApiParameter(
        "page", int, description=gettext_lazy("Page number, from 1 (400 past the last page).")
    ),
    OpenApiParameter(
        "page_size", int, description=gettext_lazy("Items per page, 1 to 100 (default 50).")
    ),
]


# -- conditional answers ----------------------------------------------------------------


def data_last_modified(*others: datetime) -> datetime:
    """When the published data last changed, to the second: the latest page
    publication, unpublication, move or deletion Wagtail logged, or any of ``others``
    (the panorama adds its statistics' last invalidation, which imports, merges and
    taxonomy changes bump), whichever is later."""
    from wagtail.models import PageLogEntry

    latest = PageLogEntry.objects.aggregate(latest=Max("timestamp"))["latest"]
    stamps = [stamp for stamp in (latest, *others) if stamp]
    if not stamps:
        return datetime(2026, 1, 1, tzinfo=UTC)
    return max(stamps).replace(microsecond=0)


class ReadOnlyAPIView(APIView):
    """Base of the API's views: read-only, rate-limited, conditional (see the module)."""

    http_method_names = ["get", "head", "options"]
    authentication_classes: list = []
    parser_classes: list = []  # read-only: nothing to parse
    throttle_classes = [BurstRateThrottle, ClientRateThrottle]
    pagination_class = LinkedPagination

    def get_exception_handler(self):
        return exception_handler

    def last_modified(self) -> datetime:
        return data_last_modified()

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        etag = f'"{hashlib.blake2b(response.content, digest_size=16).hexdigest()}"'
        modified = self.last_modified()
        response["ETag"] = etag
        response["Last-Modified"] = http_date(modified.timestamp())
        response["Cache-Control"] = "public, max-age=60"
        conditional = get_conditional_response(
            request, etag=etag, last_modified=int(modified.timestamp()), response=response
        )
        if conditional is not response:
            for header in ("ETag", "Last-Modified", "Cache-Control", "Vary"):
                if header in response:
                    conditional[header] = response[header]
        return conditional


def not_found(message: str | None = None) -> NotFound:
    return NotFound(message or _("No such object."))


def parse_id(raw: str) -> int:
    """A page id from the URL; anything that cannot be one is a 404."""
    if not raw.isdigit() or int(raw) > MAX_ID:
        raise not_found()
    return int(raw)
