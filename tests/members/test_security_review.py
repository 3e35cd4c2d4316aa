"""Issue 9 (security review), items 3, 8, 12 and 16, each played as an attack through
real requests: saving behind the editors' back while a profile is in review, using
invitations to mail strangers, invitations outliving their inviter, and a draft's logo
published before anybody reviewed it."""

import io
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from wagtail.images import get_image_model

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.members.models import Claim, Invitation, PendingLogo, Representative
from tests.factories import ActorPageFactory, MemberFactory


def profile_form(actor, **changes) -> dict:
    data = {
        "title": actor.title,
        "organisation_type": actor.organisation_type_id,
        "country": "FR",
        "city": actor.city,
        "summary": "",
    }
    data.update(changes)
    return data


def edit(client, actor, **data):
    return client.post(f"/members/organisations/{actor.pk}/edit/", data)


def approve(client, actor):
    """The editor's "Approve" in the Wagtail admin (the moderation dashboard's action)."""
    actor = ActorPage.objects.get(pk=actor.pk)
    task_state = actor.current_workflow_state.current_task_state
    return client.post(
        f"/admin/pages/workflow/action/{actor.pk}/approve/{task_state.pk}/", {"comment": ""}
    )


# -- item 3: what the editor approves is what gets published ------------------------


@pytest.mark.django_db
def test_saving_while_in_review_is_refused_and_approval_publishes_what_was_submitted(
    client, representative, lyon, editor
):
    client.force_login(representative)
    response = edit(client, lyon, **profile_form(lyon, summary="Reviewed summary"), submit="1")
    assert response.status_code == 302
    lyon.refresh_from_db()
    assert lyon.current_workflow_state is not None
    revisions = lyon.revisions.count()

    # The race: the representative saves again, then tries to submit again.
    page = client.get(f"/members/organisations/{lyon.pk}/edit/").content.decode()
    assert "Withdraw from review and save my changes" in page
    response = edit(client, lyon, **profile_form(lyon, summary="Sneaky summary"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "The editors are reviewing this profile" in html
    assert "Sneaky summary" in html  # what they typed is still in the form
    response = edit(client, lyon, **profile_form(lyon, summary="Sneaky summary"), submit="1")
    assert "The editors are reviewing this profile" in response.content.decode()
    client.post(f"/members/organisations/{lyon.pk}/submit/")
    assert lyon.revisions.count() == revisions
    lyon.refresh_from_db()
    assert lyon.get_latest_revision_as_object().summary == "Reviewed summary"

    client.force_login(editor)
    assert approve(client, lyon).status_code in {200, 302}
    lyon.refresh_from_db()
    assert lyon.live and lyon.summary == "Reviewed summary"
    assert not lyon.has_unpublished_changes
    assert "Reviewed summary" in client.get(lyon.url).content.decode()


@pytest.mark.django_db
def test_withdrawing_from_review_saves_the_typed_changes(client, representative, lyon):
    client.force_login(representative)
    edit(client, lyon, **profile_form(lyon, summary="First try"), submit="1")
    response = edit(client, lyon, **profile_form(lyon, summary="Second thoughts"), withdraw="1")
    assert response.status_code == 302
    lyon.refresh_from_db()
    assert lyon.current_workflow_state is None
    assert lyon.get_latest_revision_as_object().summary == "Second thoughts"
    assert lyon.summary == ""  # still only a draft
    page = client.get(response["Location"]).content.decode()
    assert "withdrawn from review" in page
    # And it can be submitted again.
    edit(client, lyon, **profile_form(lyon, summary="Second thoughts"), submit="1")
    lyon.refresh_from_db()
    assert lyon.current_workflow_state.status == "in_progress"


@pytest.mark.django_db
def test_approval_publishes_the_reviewed_revision_not_a_newer_one(
    client, representative, lyon, editor
):
    client.force_login(representative)
    edit(client, lyon, **profile_form(lyon, summary="Reviewed summary"), submit="1")
    lyon.refresh_from_db()
    reviewed = lyon.current_workflow_state.current_task_state.revision
    # A newer revision slips into the database however it may (a race, another path).
    sneaky = lyon.get_latest_revision_as_object()
    sneaky.summary = "Unreviewed summary"
    sneaky.contact_email = "buy-pills@spam.example"
    newer = sneaky.save_revision(user=representative)
    assert newer.pk > reviewed.pk

    client.force_login(editor)
    preview = client.get(
        f"/admin/pages/workflow/preview/{lyon.pk}/{reviewed.task_states.get().task_id}/"
    )
    assert "Reviewed summary" in preview.content.decode()  # what the editor sees
    assert approve(client, lyon).status_code in {200, 302}
    lyon = ActorPage.objects.get(pk=lyon.pk)
    assert lyon.live_revision_id == reviewed.pk
    assert lyon.summary == "Reviewed summary"
    assert lyon.contact_email == ""
    assert "buy-pills@spam.example" not in client.get(lyon.url).content.decode()
    # The newer changes are not lost: they wait as a draft, to be submitted.
    assert lyon.has_unpublished_changes
    assert lyon.get_latest_revision_as_object().summary == "Unreviewed summary"
    client.force_login(representative)
    dashboard = client.get("/members/").content.decode()
    assert "newer changes not yet submitted" in dashboard


@pytest.mark.django_db
def test_an_editors_own_edits_during_review_are_published_with_the_approval(
    client, representative, lyon, editor
):
    client.force_login(representative)
    edit(client, lyon, **profile_form(lyon, summary="Typo in sumary"), submit="1")
    lyon.refresh_from_db()
    corrected = lyon.get_latest_revision_as_object()
    corrected.summary = "No typo in summary"
    corrected.save_revision(user=editor)  # as the admin's "save" before "approve"
    client.force_login(editor)
    approve(client, lyon)
    lyon = ActorPage.objects.get(pk=lyon.pk)
    assert lyon.summary == "No typo in summary"
    assert not lyon.has_unpublished_changes


# -- item 16: a draft's logo stays private until the review -------------------------


def png(colour=(11, 79, 108), size=(64, 32)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def storage_dirs(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.COBIOE_PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return tmp_path / "media", tmp_path / "private"


@pytest.mark.django_db
def test_a_drafts_logo_is_not_public_until_the_editors_approve_it(
    client,
    representative,
    lyon,
    editor,
    other_member,
    storage_dirs,
    django_capture_on_commit_callbacks,
):
    media, private = storage_dirs
    client.force_login(representative)
    logo = SimpleUploadedFile("our-logo.png", png(), "image/png")
    response = edit(client, lyon, **profile_form(lyon, summary="With a logo"), logo_file=logo)
    assert response.status_code == 302

    # Not in the image library, not in the public media, not on the public profile.
    assert get_image_model().objects.count() == 0
    assert files_under(media) == []
    (stored,) = files_under(private)
    pending = PendingLogo.objects.get(actor=lyon)
    with pytest.raises(ValueError):
        pending.file.url  # noqa: B018 (no public URL exists to disclose)
    client.logout()
    public = client.get(lyon.url).content.decode()
    assert "our-logo" not in public and "actor-profile__logo" not in public
    url = f"/members/organisations/{lyon.pk}/pending-logo/"
    assert "/accounts/login/" in client.get(url)["Location"]
    client.force_login(other_member)
    assert client.get(url).status_code == 404
    # The representative and the editors see it.
    client.force_login(representative)
    form = client.get(f"/members/organisations/{lyon.pk}/edit/").content.decode()
    assert url in form and "once the editors have approved" in form
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == stored.read_bytes()
    assert "no-store" in response["Cache-Control"]
    client.force_login(editor)
    assert client.get(url).status_code == 200
    dashboard = client.get("/admin/").content.decode()
    assert "New logos awaiting review" in dashboard and url in dashboard

    client.force_login(representative)
    edit(client, lyon, **profile_form(lyon, summary="With a logo"), submit="1")
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        approve(client, lyon)
    lyon = ActorPage.objects.get(pk=lyon.pk)
    assert lyon.logo is not None and lyon.logo.width == 64
    assert not PendingLogo.objects.exists()
    assert files_under(private) == []
    assert files_under(media)  # now in the public media
    client.logout()
    public = client.get(lyon.url).content.decode()
    assert "actor-profile__logo" in public
    rendition = lyon.logo.get_rendition("max-160x160")
    assert rendition.url in public
    client.force_login(editor)
    assert "New logos awaiting review" not in client.get("/admin/").content.decode()


@pytest.mark.django_db
def test_a_logo_uploaded_after_the_reviewed_revision_waits_for_its_own_review(
    client, representative, lyon, editor, storage_dirs
):
    client.force_login(representative)
    edit(client, lyon, **profile_form(lyon, summary="No logo yet"), submit="1")
    lyon.refresh_from_db()
    reviewed = lyon.current_workflow_state.current_task_state.revision
    # Forced past the refusal: a logo attached to a newer revision.
    newer = lyon.get_latest_revision_as_object().save_revision(user=representative)
    PendingLogo.objects.create(
        actor=lyon, revision=newer, file=SimpleUploadedFile("late.png", png(), "image/png")
    )
    client.force_login(editor)
    approve(client, lyon)
    lyon = ActorPage.objects.get(pk=lyon.pk)
    assert lyon.live_revision_id == reviewed.pk and lyon.logo is None
    assert PendingLogo.objects.filter(actor=lyon).exists()
    assert get_image_model().objects.count() == 0


@pytest.mark.django_db
def test_a_lost_logo_file_never_blocks_the_approval(
    client, representative, lyon, editor, storage_dirs
):
    client.force_login(representative)
    logo = SimpleUploadedFile("lost.png", png(), "image/png")
    edit(client, lyon, **profile_form(lyon, summary="Logo lost"), logo_file=logo, submit="1")
    for path in files_under(storage_dirs[1]):
        path.unlink()
    assert client.get(f"/members/organisations/{lyon.pk}/pending-logo/").status_code == 404
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200
    assert approve(client, lyon).status_code in {200, 302}
    lyon = ActorPage.objects.get(pk=lyon.pk)
    assert lyon.summary == "Logo lost" and lyon.logo is None
    assert not PendingLogo.objects.exists()


@pytest.mark.django_db
def test_logo_uploads_are_limited_per_organisation(client, representative, lyon, storage_dirs):
    client.force_login(representative)
    for n in range(5):
        logo = SimpleUploadedFile(f"logo{n}.png", png(colour=(n, 0, 0)), "image/png")
        assert edit(client, lyon, **profile_form(lyon), logo_file=logo).status_code == 302
    before = PendingLogo.objects.get(actor=lyon).file.name
    logo = SimpleUploadedFile("logo6.png", png(), "image/png")
    response = edit(client, lyon, **profile_form(lyon, summary="Typed summary"), logo_file=logo)
    html = response.content.decode()
    assert response.status_code == 200
    assert "logo was changed 5 times today" in html
    assert "Typed summary" in html  # nothing the member typed is lost
    assert PendingLogo.objects.get(actor=lyon).file.name == before
    assert lyon.get_latest_revision_as_object().summary == ""
    # Without a new logo the profile still saves.
    response = edit(client, lyon, **profile_form(lyon, summary="Typed summary"))
    assert response.status_code == 302


# -- item 8: no spam relay -----------------------------------------------------------


def invite(client, actor, email):
    return client.post(f"/members/organisations/{actor.pk}/invite/", {"email": email})


@pytest.mark.django_db
def test_a_draft_organisation_cannot_send_invitations(client, member, cartography):
    client.force_login(member)
    draft = ActorPageFactory(parent=cartography, title="Cheap pills at spam.example", live=False)
    Representative.objects.create(user=member, actor=draft)
    mail.outbox.clear()
    response = invite(client, draft, "victim@example.org")
    html = response.content.decode()
    assert "once the profile is published" in html
    assert 'value="victim@example.org"' in html  # the address stays in its field
    assert not Invitation.objects.exists() and mail.outbox == []


@pytest.mark.django_db
def test_an_unverified_address_cannot_send_invitations(client, lyon):
    user = MemberFactory(username="vera", email="vera@lyonbio.eu")
    # Signed up with one address, then switched the account to an unverified one.
    EmailAddress.objects.filter(user=user).update(primary=False)
    user.email = "forged@victim-company.example"
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    Representative.objects.create(user=user, actor=lyon)
    client.force_login(user)
    mail.outbox.clear()
    response = invite(client, lyon, "victim@example.org")
    assert "Verify your e-mail address before you invite colleagues." in response.content.decode()
    assert not Invitation.objects.exists() and mail.outbox == []


@pytest.mark.django_db
def test_subjects_carry_no_text_a_member_wrote(client, member, editor, cartography):
    spammy = ActorPageFactory(
        parent=cartography, title="Cheap pills at spam.example", website="https://lyonbio.eu"
    )
    Representative.objects.create(user=member, actor=spammy)
    client.force_login(member)
    mail.outbox.clear()
    invite(client, spammy, "victim@example.org")
    other = MemberFactory(username="otto", email="otto@berlin-vectors.de")
    client.force_login(other)
    client.post(f"/members/organisations/{spammy.pk}/claim/", {"message": "spam.example"})
    client.force_login(editor)
    claim = Claim.objects.get(user=other)
    client.post(f"/admin/claims/{claim.pk}/decide/", {"action": "reject", "note": ""})
    subjects = [m.subject for m in mail.outbox]
    assert len(subjects) == 3, subjects
    for subject in subjects:
        assert "spam.example" not in subject and "pills" not in subject.lower()
        assert subject.startswith("[COBIOE] ")


def cache_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM test_shared_cache")
        return cursor.fetchone()[0]


@pytest.mark.usefixtures("shared_db_cache")
def test_invitations_are_limited_per_sender_in_the_shared_cache(client, representative, lyon):
    client.force_login(representative)
    mail.outbox.clear()
    for n in range(20):
        invite(client, lyon, f"colleague{n}@example.org")
    assert Invitation.objects.count() == 20
    assert cache_rows() > 0  # the counts live in the shared (database) cache
    response = invite(client, lyon, "one-more@example.org")
    assert "You have sent many invitations today" in response.content.decode()
    assert Invitation.objects.count() == 20 and len(mail.outbox) == 20


@pytest.mark.usefixtures("shared_db_cache")
def test_one_address_is_not_flooded_with_invitations(client, cartography):
    sender = MemberFactory(username="sam", email="sam@example.org")
    organisations = [ActorPageFactory(parent=cartography, title=f"Org {n}") for n in range(4)]
    for actor in organisations:
        Representative.objects.create(user=sender, actor=actor)
    client.force_login(sender)
    for actor in organisations[:3]:
        invite(client, actor, "Victim@Example.org")
    # The same invitation twice is not sent twice.
    response = invite(client, organisations[0], "victim@example.org")
    assert "already waiting for an answer" in response.content.decode()
    response = invite(client, organisations[3], "victim@example.org")
    assert "This address has received several invitations today" in response.content.decode()
    assert Invitation.objects.count() == 3


# -- item 12: invitations die with their inviter's representation ------------------


@pytest.mark.django_db
def test_an_invitation_dies_when_its_inviter_stops_representing(
    client, representative, lyon, editor
):
    client.force_login(representative)
    invite(client, lyon, "colleague@lyonbio.eu")
    invitation = Invitation.objects.get()
    colleague = MemberFactory(username="carl", email="colleague@lyonbio.eu")

    # An editor removes the representative in the admin.
    client.force_login(editor)
    link = Representative.objects.get(user=representative, actor=lyon)
    editor_is_admin = editor.is_superuser
    editor.is_superuser = True  # the Representatives admin is for administrators
    editor.save()
    response = client.post(f"/admin/cobioe_members/representative/delete/{link.pk}/")
    assert response.status_code == 302
    editor.is_superuser = editor_is_admin
    editor.save()
    assert not Representative.objects.filter(user=representative, actor=lyon).exists()
    assert not Invitation.objects.filter(pk=invitation.pk).exists()

    client.force_login(colleague)
    response = client.get(f"/members/invitations/{invitation.token}/")
    assert response.status_code == 404
    assert "This invitation is no longer valid" in response.content.decode()
    client.post(f"/members/invitations/{invitation.token}/")
    assert not Representative.objects.filter(user=colleague).exists()


@pytest.mark.django_db
def test_acceptance_checks_the_inviter_still_represents(client, lyon, other_member):
    # An invitation whose inviter does not (or no longer) represent the organisation,
    # whichever way it came about.
    stranger = MemberFactory(username="sly", email="sly@example.org")
    invitation = Invitation.objects.create(
        actor=lyon, email=other_member.email, invited_by=stranger
    )
    orphan = Invitation.objects.create(actor=lyon, email=other_member.email, invited_by=None)
    client.force_login(other_member)
    for token in (invitation.token, orphan.token):
        url = f"/members/invitations/{token}/"
        response = client.get(url)
        assert response.status_code == 404
        assert "This invitation is no longer valid" in response.content.decode()
        client.post(url)
    assert not Representative.objects.filter(user=other_member).exists()


@pytest.mark.django_db
def test_an_editors_invitation_of_a_public_contact_stays_valid(client, editor, cartography):
    imported = ActorPageFactory(
        parent=cartography, title="Imported Bio", contact_email="contact@imported.eu"
    )
    client.force_login(editor)
    client.post("/admin/claims/unrepresented/", {"actor": [imported.pk]})
    invitation = Invitation.objects.get(actor=imported)
    contact = MemberFactory(username="cora", email="contact@imported.eu")
    client.force_login(contact)
    client.post(f"/members/invitations/{invitation.token}/")
    assert Representative.objects.filter(user=contact, actor=imported).exists()
