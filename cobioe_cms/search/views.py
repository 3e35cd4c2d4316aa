"""The search app's pages: the site search (``GET /search/``) and the health endpoint
(``GET /search/health/``)."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import recent_check
from .site_search import SiteSearch


@require_GET
def site_search(request: HttpRequest) -> HttpResponse:
    """One search box over every kind of content (see :mod:`.site_search`).

    Which backend answered goes in the ``X-Search-Backend`` header (``cluster``,
    ``database`` or ``mixed``), for monitoring and tests, never on the page.
    """
    search = SiteSearch(request).run()
    response = render(request, "cobioe_search/site_search.html", {"search": search})
    if search.backend:
        response["X-Search-Backend"] = search.backend
    return response


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """The search backend's state, for monitoring.

    Always answers 200 with JSON: a down cluster is a degraded site, not a broken page,
    and the monitoring reads ``status`` rather than the HTTP code. The answer may be a
    few seconds old (:data:`.health.HEALTH_CACHE_SECONDS`).
    """
    return JsonResponse(recent_check())
