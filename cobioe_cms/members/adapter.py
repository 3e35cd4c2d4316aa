"""The platform's allauth adapter: allauth's limits count per the same client address
as the platform's own (``cobioe_cms.core.ratelimit.client_ip``)."""

from allauth.account.adapter import DefaultAccountAdapter

from cobioe_cms.core.ratelimit import client_ip


class AccountAdapter(DefaultAccountAdapter):
    """allauth's own reading of ``X-Forwarded-For`` raises ``ImproperlyConfigured`` (a
    500) when a request carries fewer entries than ``ALLAUTH_TRUSTED_PROXY_COUNT`` (one
    that did not come through the proxies); ``client_ip`` counts such a request per
    ``REMOTE_ADDR`` instead, and both limits agree on who the client is."""

    def get_client_ip(self, request) -> str:
        return client_ip(request)
