"""Who may do what: each role against each member action, including direct URLs and
admin pages aimed at other people's objects."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User

from cobioe_cms.members.models import Claim, Invitation, Representative
from tests.factories import MemberFactory

ROLES = (
    "visitor",
    "unverified",  # signed in, but no verified e-mail address (an account made elsewhere)
    "member",
    "representative",
    "other_representative",
    "editor",
    "admin",
)


@pytest.fixture
def actors_and_users(db, lyon, berlin, editor):
    member = MemberFactory(username="mona", email="mona@example.org")
    rep = MemberFactory(username="rita", email="rita@lyonbio.eu")
    Representative.objects.create(user=rep, actor=lyon)
    other = MemberFactory(username="olaf", email="olaf@berlin.de")
    Representative.objects.create(user=other, actor=berlin)
    admin = User.objects.create_superuser("root", "root@cobioe.eu", "a-long-pass-phrase")
    EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)
    unverified = User.objects.create_user("uma", "uma@lyonbio.eu", "a-long-pass-phrase")
    users = {
        "visitor": None,
        "unverified": unverified,
        "member": member,
        "representative": rep,
        "other_representative": other,
        "editor": editor,
        "admin": admin,
    }
    return lyon, berlin, users


def as_role(client, users, role):
    client.logout()
    if users[role] is not None:
        client.force_login(users[role])
    return client


def status(response) -> str:
    if "account/verified_email_required.html" in [t.name for t in response.templates]:
        return "verify"
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith("/accounts/login/"):
            return "login"
        return "ok"
    return {200: "ok", 403: "denied", 404: "denied"}.get(response.status_code, str(response))


# Expected outcome per role for editing Lyon's profile in the front end.
EDIT_LYON = {
    "visitor": "login",
    "unverified": "verify",
    "member": "denied",
    "representative": "ok",
    "other_representative": "denied",
    "editor": "denied",  # editors work in the Wagtail admin, not through members' forms
    "admin": "denied",
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_edit_own_organisation_only(client, actors_and_users, role):
    lyon, _berlin, users = actors_and_users
    client = as_role(client, users, role)
    assert status(client.get(f"/members/organisations/{lyon.pk}/edit/")) == EDIT_LYON[role]
    response = client.post(
        f"/members/organisations/{lyon.pk}/edit/",
        {"title": "Hijacked", "organisation_type": lyon.organisation_type_id, "country": "FR"},
    )
    lyon.refresh_from_db()
    revision = lyon.get_latest_revision_as_object()
    if EDIT_LYON[role] == "ok":
        assert response.status_code == 302
        assert revision.title == "Hijacked"
        assert lyon.title == "Lyon Biologics"  # the live profile waits for review
    else:
        assert revision.title == "Lyon Biologics"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_submit_and_invite_only_for_own_organisation(client, actors_and_users, role):
    lyon, _berlin, users = actors_and_users
    client = as_role(client, users, role)
    client.post(f"/members/organisations/{lyon.pk}/submit/")
    client.post(f"/members/organisations/{lyon.pk}/invite/", {"email": "x@example.org"})
    lyon.refresh_from_db()
    allowed = EDIT_LYON[role] == "ok"
    assert (lyon.current_workflow_state is not None) is allowed
    assert Invitation.objects.filter(actor=lyon, email="x@example.org").exists() is allowed


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_member_pages_need_an_account(client, actors_and_users, role):
    """Member and watch pages need a verified address; a person's own data (export,
    deletion) needs only their session."""
    lyon, _berlin, users = actors_and_users
    client = as_role(client, users, role)
    expected = {"visitor": "login", "unverified": "verify"}.get(role, "ok")
    for url in (
        "/members/",
        "/members/organisations/new/",
        f"/members/organisations/{lyon.pk}/claim/",
        "/watch/",
        "/watch/interests/",
    ):
        assert status(client.get(url)) == expected, url
    for url in ("/members/account/data/", "/members/account/delete/"):
        assert status(client.get(url)) == ("login" if role == "visitor" else "ok"), url


CLAIMS_ADMIN = {
    "visitor": "login",
    "unverified": "login",
    "member": "login",  # no admin access at all
    "representative": "login",
    "other_representative": "login",
    "editor": "ok",
    "admin": "ok",
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_only_editors_review_claims(client, actors_and_users, role):
    lyon, _berlin, users = actors_and_users
    claim = Claim.objects.create(user=users["member"], actor=lyon, email="mona@example.org")
    client = as_role(client, users, role)
    assert status(client.get("/admin/claims/")) == CLAIMS_ADMIN[role]
    client.post(f"/admin/claims/{claim.pk}/decide/", {"action": "approve"})
    claim.refresh_from_db()
    approved = claim.status == Claim.Status.APPROVED
    assert approved is (CLAIMS_ADMIN[role] == "ok")
    assert Representative.objects.filter(user=users["member"], actor=lyon).exists() is approved


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_admin_page_editor_is_closed_to_members(client, actors_and_users, role):
    lyon, berlin, users = actors_and_users
    client = as_role(client, users, role)
    expected = "ok" if role in {"editor", "admin"} else "login"
    assert status(client.get(f"/admin/pages/{lyon.pk}/edit/")) == expected
    assert status(client.get(f"/admin/pages/{berlin.pk}/")) in {expected, "denied"}


@pytest.mark.django_db
def test_members_never_see_other_organisations_drafts(client, actors_and_users, cartography):
    lyon, _berlin, users = actors_and_users
    client.force_login(users["other_representative"])
    draft = lyon.get_latest_revision_as_object()
    draft.summary = "Secret plans"
    draft.save_revision()
    for url in (f"/members/organisations/{lyon.pk}/edit/", "/members/", lyon.url):
        assert "Secret plans" not in client.get(url).content.decode()


@pytest.mark.django_db
def test_profile_page_offers_edit_to_representatives_and_claim_to_others(
    client, representative, lyon, other_member
):
    client.force_login(representative)
    html = client.get(lyon.url).content.decode()
    assert f"/members/organisations/{lyon.pk}/edit/" in html
    assert "Claim this profile" not in html
    client.force_login(other_member)
    assert "Claim this profile" in client.get(lyon.url).content.decode()
