"""The platform's allauth adapter: allauth's limits count per the same client address
as the platform's own (``cobioe_cms.core.ratelimit.client_ip``), and its e-mails speak
of the platform by its name."""

from __future__ import annotations

from typing import NamedTuple
from urllib.parse import urlsplit

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils.encoding import force_str

from cobioe_cms.core.ratelimit import client_ip


class PlatformSite(NamedTuple):
    """What allauth's e-mails call ``current_site``."""

    name: str
    domain: str


def platform_site(request=None) -> PlatformSite:
    """The platform's name (``WAGTAIL_SITE_NAME``) and the host the member used (else the
    host of ``WAGTAILADMIN_BASE_URL``), whether or not ``django.contrib.sites`` is
    installed: its default row says "example.com", and without it allauth names the
    site after the request's host ("[127.0.0.1:8000] Please Confirm…")."""
    name = getattr(settings, "WAGTAIL_SITE_NAME", "") or "COBIOE"
    domain = ""
    if request is not None:
        try:
            domain = request.get_host()
        except Exception:  # noqa: BLE001 - a disallowed Host header: fall back below
            domain = ""
    if not domain:
        domain = urlsplit(getattr(settings, "WAGTAILADMIN_BASE_URL", "")).netloc
    return PlatformSite(name, domain)


class AccountAdapter(DefaultAccountAdapter):
    """allauth's own reading of ``X-Forwarded-For`` raises ``ImproperlyConfigured`` (a
    500) when a request carries fewer entries than ``ALLAUTH_TRUSTED_PROXY_COUNT`` (one
    that did not come through the proxies); ``client_ip`` counts such a request per
    ``REMOTE_ADDR`` instead, and both limits agree on who the client is."""

    def get_client_ip(self, request) -> str:
        return client_ip(request)

    def format_email_subject(self, subject: str) -> str:
        prefix = app_settings.EMAIL_SUBJECT_PREFIX
        if prefix is None:
            prefix = f"[{platform_site().name}] "
        return prefix + force_str(subject)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        super().send_mail(
            template_prefix, email, {"current_site": platform_site(self.request), **context}
        )
