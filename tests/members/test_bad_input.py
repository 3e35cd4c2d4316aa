"""Bad input on members' forms: clear messages, nothing written, nothing lost."""

import pytest
from django.contrib.auth.models import User

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.core.models import OrganisationType
from cobioe_cms.members.models import Representative


@pytest.mark.django_db
def test_sign_up_requires_consent_and_a_strong_password(client, cartography):
    response = client.post(
        "/accounts/signup/",
        {"email": "a@b.eu", "password1": "password", "password2": "password", "full_name": "A"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "This password is too short" in html or "too common" in html
    assert "This field is required" in html  # the privacy consent
    assert not User.objects.filter(email="a@b.eu").exists()


@pytest.mark.django_db
def test_login_attempts_are_rate_limited(client, member):
    for _ in range(6):
        response = client.post(
            "/accounts/login/", {"login": "marie@lyonbio.eu", "password": "wrong-password"}
        )
    assert response.status_code == 429 or "Too many failed login attempts" in (
        response.content.decode()
    )
    response = client.post(
        "/accounts/login/", {"login": "marie@lyonbio.eu", "password": "a-long-pass-phrase"}
    )
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_invalid_edit_keeps_what_was_typed_and_changes_nothing(client, representative, lyon):
    client.force_login(representative)
    before = lyon.revisions.count()
    response = client.post(
        f"/members/organisations/{lyon.pk}/edit/",
        {
            "title": "Lyon Biologics",
            "organisation_type": lyon.organisation_type_id,
            "country": "US",
            "summary": "A long summary I do not want to type again",
            "website": "not a url",
            "year_founded": "99999",
            "submit": "1",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Please correct the errors below; nothing was saved." in html
    assert "A long summary I do not want to type again" in html
    assert "Select a valid choice" in html
    assert lyon.revisions.count() == before
    lyon.refresh_from_db()
    assert lyon.current_workflow_state is None


@pytest.mark.django_db
def test_forged_taxonomy_ids_are_refused(client, representative, lyon):
    client.force_login(representative)
    response = client.post(
        f"/members/organisations/{lyon.pk}/edit/",
        {
            "title": "Lyon Biologics",
            "organisation_type": 999999,
            "country": "FR",
            "stages": ["999999", "abc"],
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.django_db
def test_oversized_text_is_refused(client, representative, lyon):
    client.force_login(representative)
    response = client.post(
        f"/members/organisations/{lyon.pk}/edit/",
        {
            "title": "x" * 5000,
            "organisation_type": lyon.organisation_type_id,
            "country": "FR",
            "summary": "y" * 5000,
        },
    )
    assert response.status_code == 200
    assert "Ensure this value has at most" in response.content.decode()


@pytest.mark.django_db
def test_editing_unknown_or_foreign_ids_is_404(client, representative):
    client.force_login(representative)
    for url in (
        "/members/organisations/999999/edit/",
        "/members/organisations/999999/claim/",
        "/members/organisations/1/edit/",  # the root page: not an organisation
    ):
        assert client.get(url).status_code == 404, url


@pytest.mark.django_db
def test_new_organisation_duplicates_are_pointed_out(client, member, lyon):
    client.force_login(member)
    suggestions = client.get("/members/organisations/suggest/?name=lyon biolog").json()
    assert [m["title"] for m in suggestions["matches"]] == ["Lyon Biologics"]
    by_domain = client.get("/members/organisations/suggest/?name=x&website=lyonbio.eu").json()
    assert [m["title"] for m in by_domain["matches"]] == ["Lyon Biologics"]
    assert client.get("/members/organisations/suggest/?name=" + "%" * 5000).json() == {
        "matches": []
    }

    form = {
        "title": "Lyon Biologics SAS",
        "organisation_type": OrganisationType.objects.get(slug="cdmo").pk,
        "country": "FR",
        "city": "Lyon",
        "website": "https://lyonbio.eu",
    }
    response = client.post("/members/organisations/new/", form)
    assert response.status_code == 200
    assert "Is it one of these?" in response.content.decode()
    assert ActorPage.objects.filter(title="Lyon Biologics SAS").count() == 0
    response = client.post("/members/organisations/new/", {**form, "confirm_new": "1"})
    created = ActorPage.objects.get(title="Lyon Biologics SAS")
    assert not created.live
    assert Representative.objects.filter(user=member, actor=created).exists()


@pytest.mark.django_db
def test_organisation_creation_is_rate_limited(client, member):
    client.force_login(member)
    kind = OrganisationType.objects.get(slug="cro").pk
    for n in range(7):
        response = client.post(
            "/members/organisations/new/",
            {"title": f"Unique Zebra {n}", "organisation_type": kind, "country": "FR"},
            follow=True,
        )
    assert ActorPage.objects.filter(title__startswith="Unique Zebra").count() == 5
    assert "You have created many organisations today" in response.content.decode()


def png_bytes(size=(64, 32)) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 79, 108)).save(buffer, "PNG")
    return buffer.getvalue()


def logo_post(client, actor, upload):
    return client.post(
        f"/members/organisations/{actor.pk}/edit/",
        {
            "title": actor.title,
            "organisation_type": actor.organisation_type_id,
            "country": "FR",
            "summary": "Typed summary",
            "logo_file": upload,
        },
    )


@pytest.mark.django_db
def test_logo_upload_is_checked(client, representative, lyon, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.images import get_image_model

    from cobioe_cms.members.models import PendingLogo

    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(representative)
    fake = SimpleUploadedFile("logo.png", b"MZ\x90\x00 not an image", "image/png")
    response = logo_post(client, lyon, fake)
    assert "Upload a valid image" in response.content.decode()
    assert "Typed summary" in response.content.decode()

    gif = io_gif()
    response = logo_post(client, lyon, SimpleUploadedFile("logo.gif", gif, "image/gif"))
    assert "must be a PNG, JPEG or WebP" in response.content.decode()

    big = png_bytes() + b"\x00" * (2 * 1024 * 1024)
    response = logo_post(client, lyon, SimpleUploadedFile("big.png", big, "image/png"))
    assert "larger than 2 MB" in response.content.decode()
    assert get_image_model().objects.count() == 0

    good = SimpleUploadedFile("logo.png", png_bytes(), "image/png")
    assert logo_post(client, lyon, good).status_code == 302
    # It waits for the review in private storage (tests/members/test_security_review.py).
    pending = PendingLogo.objects.get(actor=lyon)
    assert pending.file.width == 64
    assert get_image_model().objects.count() == 0


def io_gif() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "GIF")
    return buffer.getvalue()
