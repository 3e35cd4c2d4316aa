"""Signing in through allauth's real pages, and two-factor codes computed as an
authenticator app would, with allauth's own TOTP functions."""

import time

from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
)
from allauth.mfa.utils import decrypt

from tests.factories.users import PASSWORD


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def sign_in(client, email: str, password: str = PASSWORD, next_url: str = ""):
    """Post allauth's login form, as a browser does (a real sign-in, which allauth
    records in the session: pages that need a recent sign-in accept it)."""
    data = {"login": email, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post("/accounts/login/", data)


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now. Waits out the last second of a period,
    so that the server checks the code in the period it was made for."""
    period = app_settings.TOTP_PERIOD
    if period - time.time() % period < 1.5:
        time.sleep(2)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def stored_totp_secret(user) -> str:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return decrypt(authenticator.data["secret"])


def unused_recovery_codes(user) -> list[str]:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    return authenticator.wrap().get_unused_codes()


def reauthenticate(client, password: str = PASSWORD) -> None:
    """Confirm one's password, as allauth asks before security settings change."""
    response = client.post("/accounts/reauthenticate/", {"password": password})
    assert response.status_code == 302, response.content.decode()[:3000]


def activate_totp(client, password: str = PASSWORD) -> None:
    """Turn on the authenticator app from allauth's page, for the signed-in user: the
    password again, then the page shows a secret, and the app's code confirms it.
    allauth then makes recovery codes too."""
    page = client.get("/accounts/2fa/totp/activate/")
    if page.status_code == 302 and page["Location"].startswith("/accounts/reauthenticate/"):
        reauthenticate(client, password)
        page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200, page
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302, response.content.decode()[:3000]
