"""One way in: allauth's login, verified addresses, and a second factor for staff.

Everybody signs in through allauth's login (``account_login``), whatever the URL they
started from, so that its rate limits, lockouts, e-mail verification and two-factor
authentication apply to editors and administrators as they do to members. The site's
URLconf sends Wagtail's own login and password-reset pages here (``to_account_login``,
``to_password_reset``), before Wagtail's admin URLs, so that a POST of credentials to
them logs nobody in.

Member pages trust a session only if its account has a verified e-mail address
(``verified_member_required``): an account made another way (the shell, the Wagtail
admin) is asked to verify one first. With ``COBIOE_MFA_REQUIRED_FOR_STAFF``, anyone who
can reach the Wagtail admin must turn on an authenticator app before reaching it
(``StaffMFAMiddleware``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from allauth.account.decorators import verified_email_required
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from cobioe_cms.core.conf import conf
from cobioe_cms.core.redirects import safe_local_path


def verified_member_required(view: Callable) -> Callable:
    """Sign-in required (to allauth's login) and a verified e-mail address: otherwise
    allauth sends a verification link (rate-limited) and shows a page that says so."""
    return wraps(view)(verified_email_required(view))


# -- Wagtail's sign-in and password-reset pages, sent to allauth's ------------------


def safe_next(request: HttpRequest, default: str = "") -> str:
    """The ``next`` of the request if it is a path on this site, else ``default``."""
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
    return safe_local_path(target) or default


def _redirect(url_name: str, next_url: str) -> HttpResponseRedirect:
    url = reverse(url_name)
    if next_url:
        url = f"{url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"
    return HttpResponseRedirect(url)


def to_account_login(request: HttpRequest, default_next: str = "") -> HttpResponseRedirect:
    """Any method, any data: a redirect to allauth's login (credentials posted here
    are dropped), keeping ``next`` if it is safe."""
    default = reverse(default_next) if default_next else ""
    return _redirect("account_login", safe_next(request, default))


def to_password_reset(request: HttpRequest, *args, **kwargs) -> HttpResponseRedirect:
    """Wagtail's password reset (its form and its links) → allauth's, rate-limited."""
    return _redirect("account_reset_password", "")


# -- a second factor for those who reach the admin -----------------------------------


def has_admin_access(user) -> bool:
    return user.is_authenticated and (user.is_staff or user.has_perm("wagtailadmin.access_admin"))


class StaffMFAMiddleware:
    """With ``COBIOE_MFA_REQUIRED_FOR_STAFF``, send anyone with admin access who has no
    authenticator app to allauth's activation page before any admin page. Signing out
    stays possible."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if conf.MFA_REQUIRED_FOR_STAFF and self._needs_mfa(request):
            messages.warning(
                request,
                _(
                    "Turn on two-factor authentication with an authenticator app before "
                    "you use the administration."
                ),
            )
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    @staticmethod
    def _needs_mfa(request: HttpRequest) -> bool:
        # Imported here: a site that leaves COBIOE_MFA_REQUIRED_FOR_STAFF off may run
        # without allauth.mfa.
        from allauth.mfa.models import Authenticator
        from allauth.mfa.utils import is_mfa_enabled

        admin = reverse("wagtailadmin_home")
        if not request.path.startswith(admin) or request.path == reverse("wagtailadmin_logout"):
            return False
        user = request.user
        return has_admin_access(user) and not is_mfa_enabled(user, [Authenticator.Type.TOTP])
