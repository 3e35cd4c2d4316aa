"""A Content Security Policy for the public site (design.md §5: "a content security
policy").

Public pages load scripts, styles, images and data from the site itself only: the theme
has no inline script, style attribute or event handler (a test renders the public pages
and checks), so the policy needs no ``'unsafe-inline'``. ``data:`` images serve Leaflet's
and the admin userbar's icons; the optional online tile layer
(``COBIOE_MAP_TILE_URL``) adds its host to ``img-src``.

The Wagtail admin (``/admin/``, which also serves page previews) relies on inline
scripts and is left out (``COBIOE_CSP_EXEMPT_PATHS``). With
``COBIOE_CSP_REPORT_ONLY`` the header is ``Content-Security-Policy-Report-Only``: a
deployment can watch the browser console before enforcing it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse

from cobioe_cms.core.conf import conf

BASE_POLICY: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
}


def tile_source(url_template: str) -> str | None:
    """The CSP source of a Leaflet tile URL template: ``https://{s}.tile.example.org/
    {z}/{x}/{y}.png`` → ``https://*.tile.example.org``; None if it is not http(s)."""
    if not url_template:
        return None
    parts = urlsplit(url_template.replace("{s}.", "*.", 1))
    host = parts.netloc.rsplit("@", 1)[-1]
    if parts.scheme not in {"http", "https"} or not host or "{" in host:
        return None
    return f"{parts.scheme}://{host}"


@lru_cache(maxsize=4)
def build_policy(tile_url: str) -> str:
    policy = {name: list(sources) for name, sources in BASE_POLICY.items()}
    tiles = tile_source(tile_url)
    if tiles:
        policy["img-src"].append(tiles)
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in policy.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        exempt = conf.CSP_EXEMPT_PATHS
        if request.path.startswith(tuple(exempt)):
            return response
        header = (
            "Content-Security-Policy-Report-Only"
            if conf.CSP_REPORT_ONLY
            else "Content-Security-Policy"
        )
        if header not in response:
            response[header] = build_policy(conf.MAP_TILE_URL or "")
        return response
