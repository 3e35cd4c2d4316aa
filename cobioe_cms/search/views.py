"""``GET /search/health/``: the search backend's state, for monitoring.

Always answers 200 with JSON: a down cluster is a degraded site, not a broken page, and
the monitoring reads ``status`` rather than the HTTP code.
"""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import check


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse(check())
