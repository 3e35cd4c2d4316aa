"""One way in for everybody: allauth's login, whatever the URL. Wagtail's login and
password-reset pages lead there; member pages trust verified addresses only; failed
sign-ins lock an account out everywhere; two-factor authentication (authenticator app,
recovery codes), required of staff when the site says so; e-mails on password changes."""

import re
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.test import Client

from cobioe_cms.demo.management.commands.load_demo import DEMO_ADMIN, DEMO_ADMIN_EMAIL
from cobioe_cms.members.models import Claim
from cobioe_cms.watch.models import InterestProfile
from tests.factories import MemberFactory

from .mfa import (
    PASSWORD,
    activate_totp,
    sign_in,
    signed_in,
    stored_totp_secret,
    totp_code,
    unused_recovery_codes,
)

# Every URL that ever offered a sign-in form: allauth's, Wagtail admin's, and Wagtail's
# front-end login (private pages), in both languages.
LOGIN_URLS = ("/accounts/login/", "/admin/login/", "/_util/login/", "/fr/_util/login/")


@pytest.fixture
def unverified(db):
    """An account made another way (the shell, the Wagtail admin): its address was
    never verified."""
    return User.objects.create_user("uma", "uma@lyonbio.eu", PASSWORD)


@pytest.fixture
def staff(editor):
    """An editor: the admin's staff, asked for a second factor when the site says so."""
    return editor


def post_credentials_everywhere(client, user) -> None:
    """The right password, by e-mail and by user name, to every sign-in URL."""
    for url in LOGIN_URLS:
        for login in (user.email, user.username):
            client.post(url, {"login": login, "username": login, "password": PASSWORD})


# -- item 1: one login, allauth's -----------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "location"),
    [
        ("", "/accounts/login/?next=%2Fadmin%2F"),
        ("?next=/admin/pages/3/", "/accounts/login/?next=%2Fadmin%2Fpages%2F3%2F"),
        ("?next=https://evil.example/", "/accounts/login/?next=%2Fadmin%2F"),
        ("?next=//evil.example/", "/accounts/login/?next=%2Fadmin%2F"),
    ],
)
def test_admin_login_leads_to_allauths_keeping_a_safe_next(client, query, location):
    response = client.get(f"/admin/login/{query}")
    assert response.status_code == 302
    assert response["Location"] == location


@pytest.mark.django_db
def test_admin_pages_and_wagtail_logout_lead_to_allauths_login(client, staff):
    assert client.get("/admin/")["Location"] == "/accounts/login/?next=/admin/"
    assert client.get("/_util/login/?next=/news/")["Location"] == "/accounts/login/?next=%2Fnews%2F"
    client.force_login(staff)
    client.post("/admin/logout/")
    assert not signed_in(client)


@pytest.mark.django_db
def test_no_url_signs_in_an_unverified_address(client, unverified):
    post_credentials_everywhere(client, unverified)
    assert not signed_in(client)
    # allauth's own answer: a verification link, sent to the address.
    assert any("uma@lyonbio.eu" in message.to for message in mail.outbox)


@pytest.mark.django_db
def test_staff_sign_in_through_allauth_and_reach_the_admin(client, staff):
    response = sign_in(client, "edith@cobioe.eu", next_url="/admin/pages/")
    assert response["Location"] == "/admin/pages/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_the_demo_administrator_signs_in_through_allauth(client, settings):
    settings.DEBUG = True  # load_demo --with-admin is for development only
    call_command("load_demo", "--actors", "0", "--with-admin", stdout=StringIO())
    response = sign_in(client, DEMO_ADMIN_EMAIL, DEMO_ADMIN[1], next_url="/admin/")
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_an_unverified_session_is_sent_to_verify(client, unverified, lyon):
    client.force_login(unverified)
    response = client.get("/members/")
    assert "account/verified_email_required.html" in [t.name for t in response.templates]
    assert 'class="skip-link"' in response.content.decode()  # inside the theme
    assert [m.to for m in mail.outbox] == [["uma@lyonbio.eu"]]  # the verification link

    # Actions do nothing either.
    client.post(f"/members/organisations/{lyon.pk}/claim/", {"message": "It is mine."})
    client.post(f"/watch/follow/{lyon.pk}/")
    assert not Claim.objects.exists()
    assert not InterestProfile.objects.filter(user=unverified).exists()

    # Once the address is verified, the same session works.
    EmailAddress.objects.filter(user=unverified).update(verified=True)
    assert client.get("/members/").status_code == 200


@pytest.mark.django_db
def test_only_a_verified_address_is_evidence_for_a_claim(client, lyon):
    """Marie's verified address is elsewhere; she added one on Lyon Biologics' domain
    (not verified) and her account's e-mail field says so too."""
    marie = MemberFactory(username="marie", email="marie@gmail.example")
    EmailAddress.objects.create(user=marie, email="marie@lyonbio.eu", verified=False)
    marie.email = "marie@lyonbio.eu"
    marie.save()
    client.force_login(marie)
    page = client.get(f"/members/organisations/{lyon.pk}/claim/")
    assert page.context["evidence"] is False
    client.post(f"/members/organisations/{lyon.pk}/claim/", {"message": "It is mine."})
    claim = Claim.objects.get()
    assert not claim.domain_matches

    claim.delete()
    EmailAddress.objects.filter(email="marie@lyonbio.eu").update(verified=True)
    assert client.get(f"/members/organisations/{lyon.pk}/claim/").context["evidence"] is True
    client.post(f"/members/organisations/{lyon.pk}/claim/", {"message": "It is mine."})
    claim = Claim.objects.get()
    assert claim.domain_matches and claim.email == "marie@lyonbio.eu"


# -- item 2: lockout everywhere, and a second factor ------------------------------------


@pytest.mark.django_db
def test_failed_sign_ins_lock_the_account_out_of_every_url(client, staff):
    for _attempt in range(5):
        sign_in(client, "edith@cobioe.eu", password="not-the-password")
    response = sign_in(client, "edith@cobioe.eu")
    assert response.status_code in {200, 429}
    assert "Too many failed login attempts" in response.content.decode()
    post_credentials_everywhere(client, staff)
    assert not signed_in(client)
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_sign_in_with_an_authenticator_app(client, staff):
    sign_in(client, "edith@cobioe.eu")
    activate_totp(client)
    assert Authenticator.objects.filter(user=staff, type="totp").exists()
    client.post("/accounts/logout/")

    # The password alone leads to the second step, not into the account.
    response = sign_in(client, "edith@cobioe.eu", next_url="/admin/")
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert not signed_in(client)
    page = client.get("/accounts/2fa/authenticate/")
    assert page.status_code == 200 and 'class="skip-link"' in page.content.decode()
    elsewhere = Client()
    post_credentials_everywhere(elsewhere, staff)  # no other URL skips the second step
    assert not signed_in(elsewhere)

    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200 and not signed_in(client)
    code = totp_code(stored_totp_secret(staff))
    response = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert response["Location"] == "/admin/"
    assert signed_in(client)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_a_recovery_code_signs_in_once(client, staff):
    sign_in(client, "edith@cobioe.eu")
    activate_totp(client)
    codes = unused_recovery_codes(staff)
    assert len(codes) == 10
    client.post("/accounts/logout/")

    sign_in(client, "edith@cobioe.eu")
    client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert signed_in(client)
    client.post("/accounts/logout/")

    sign_in(client, "edith@cobioe.eu")
    client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert not signed_in(client)
    assert codes[0] not in unused_recovery_codes(staff)


@pytest.mark.django_db
def test_second_factor_codes_are_rate_limited(client, staff):
    sign_in(client, "edith@cobioe.eu")
    activate_totp(client)
    client.post("/accounts/logout/")
    sign_in(client, "edith@cobioe.eu")
    for _attempt in range(5):
        client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    code = totp_code(stored_totp_secret(staff))
    response = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert "Too many failed login attempts" in response.content.decode()
    assert not signed_in(client)


@pytest.mark.django_db
def test_members_turn_two_factor_on_from_their_dashboard(client, member):
    sign_in(client, "marie@lyonbio.eu")
    assert 'href="/accounts/2fa/"' in client.get("/members/").content.decode()
    index = client.get("/accounts/2fa/")
    assert (
        index.status_code == 200 and 'href="/accounts/2fa/totp/activate/"' in index.content.decode()
    )
    activate_totp(client)
    page = client.get("/accounts/2fa/recovery-codes/").content.decode()
    for code in unused_recovery_codes(member):
        assert code in page


@pytest.mark.django_db
def test_staff_must_set_up_two_factor_when_the_site_requires_it(client, settings, staff, member):
    settings.COBIOE_MFA_REQUIRED_FOR_STAFF = True
    superuser = User.objects.create_superuser("root", "root@cobioe.eu", PASSWORD)
    EmailAddress.objects.create(user=superuser, email="root@cobioe.eu", verified=True)
    for user in (staff, superuser):
        client.force_login(user)
        for url in ("/admin/", "/admin/pages/", "/admin/claims/"):
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"] == "/accounts/2fa/totp/activate/", url
        followed = client.get("/admin/", follow=True).content.decode()
        assert "Turn on two-factor authentication" in followed
        assert client.post("/admin/logout/").status_code == 302  # signing out still works

    # Members without admin access are not concerned.
    client.force_login(member)
    assert client.get("/members/").status_code == 200

    # Once an authenticator app is on, the admin opens.
    client.logout()
    sign_in(client, "edith@cobioe.eu")
    activate_totp(client)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_editors_find_two_factor_in_the_admins_account_page(client, staff):
    """And their password and addresses change in allauth's pages, not Wagtail's."""
    client.force_login(staff)
    html = client.get("/admin/account/").content.decode()
    for url in ("/accounts/2fa/", "/accounts/password/change/", "/accounts/email/"):
        assert f'href="{url}"' in html
    assert 'name="password-new_password1"' not in html
    assert 'name="name_email-email"' not in html


@pytest.mark.django_db
def test_two_factor_is_not_required_by_default(client, staff):
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


# -- item 7: one password reset, rate-limited ---------------------------------------------


@pytest.mark.django_db
def test_wagtail_password_reset_leads_to_allauths(client, staff):
    for url in (
        "/admin/password_reset/",
        "/admin/password_reset/done/",
        "/admin/password_reset/confirm/MQ/set-password/",
        "/admin/password_reset/complete/",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == "/accounts/password/reset/", url
    for _attempt in range(10):
        client.post("/admin/password_reset/", {"email": "edith@cobioe.eu"})
    assert mail.outbox == []


@pytest.mark.django_db
def test_password_reset_emails_are_limited(client, staff):
    for _attempt in range(10):
        client.post("/accounts/password/reset/", {"email": "edith@cobioe.eu"})
    assert len(mail.outbox) == 3  # ACCOUNT_RATE_LIMITS["reset_password"]: 3/h per address
    assert all(message.to == ["edith@cobioe.eu"] for message in mail.outbox)


# -- item 15: people hear of changes to their account -----------------------------------


@pytest.mark.django_db
def test_changing_ones_password_sends_a_notification(client, member):
    sign_in(client, "marie@lyonbio.eu")
    mail.outbox.clear()
    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "a-new-long-phrase",
            "password2": "a-new-long-phrase",
        },
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["marie@lyonbio.eu"]
    assert re.search(r"password", message.subject, re.IGNORECASE)
