"""GDPR: a member downloads everything held about them, and deletes their account."""

import datetime
import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone

from cobioe_cms.members.models import (
    Claim,
    MemberProfile,
    OrganisationFlag,
    ReminderLog,
    Representative,
)
from cobioe_cms.members.tasks import remind_stale_profiles
from tests.factories import MemberFactory


@pytest.mark.django_db
def test_data_export_holds_everything_about_me_and_nobody_else(
    client, representative, lyon, other_member, berlin
):
    Claim.objects.create(user=representative, actor=berlin, email="marie@lyonbio.eu", message="m")
    Claim.objects.create(user=other_member, actor=lyon, email="otto@berlin-vectors.de")
    client.force_login(representative)
    response = client.get("/members/account/data/")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == "marie@lyonbio.eu"
    assert data["email_addresses"] == [
        {"email": "marie@lyonbio.eu", "verified": True, "primary": True}
    ]
    assert data["organisations_represented"][0]["organisation"] == "Lyon Biologics"
    assert [c["organisation"] for c in data["claims"]] == ["Berlin Vectors"]
    assert "otto" not in response.content.decode()


@pytest.mark.django_db
def test_deleting_my_account_anonymises_and_flags_orphaned_organisations(
    client, representative, lyon
):
    draft = lyon.get_latest_revision_as_object()
    draft.summary = "Written by Marie"
    revision = draft.save_revision(user=representative)
    client.force_login(representative)
    response = client.post("/members/account/delete/", {"password": "wrong", "confirm": "on"})
    assert "This is not your password." in response.content.decode()
    assert User.objects.get(pk=representative.pk).email == "marie@lyonbio.eu"

    client.post("/members/account/delete/", {"password": "a-long-pass-phrase", "confirm": "on"})
    user = User.objects.get(pk=representative.pk)
    assert (user.email, user.username, user.is_active) == ("", f"deleted-{user.pk}", False)
    assert not user.has_usable_password()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert MemberProfile.objects.get(user=user).full_name == ""
    assert not Representative.objects.filter(user=user).exists()
    # The contribution stays, attributed to the anonymised account.
    revision.refresh_from_db()
    assert revision.user_id == user.pk
    # The organisation stays published and the editors are told.
    lyon.refresh_from_db()
    assert lyon.live
    assert OrganisationFlag.objects.filter(actor=lyon).exists()
    # Signed out, and cannot sign in again.
    assert client.get("/members/").status_code == 302
    assert not client.login(username=f"deleted-{user.pk}", password="a-long-pass-phrase")


@pytest.mark.django_db
def test_shared_organisations_are_not_flagged(client, representative, lyon):
    colleague = MemberFactory(username="carl", email="carl@lyonbio.eu")
    Representative.objects.create(user=colleague, actor=lyon)
    client.force_login(representative)
    client.post("/members/account/delete/", {"password": "a-long-pass-phrase", "confirm": "on"})
    assert not OrganisationFlag.objects.exists()
    assert Representative.objects.filter(actor=lyon).count() == 1


@pytest.mark.django_db
def test_stale_profile_reminders_are_sent_once(representative, lyon, berlin):
    old = timezone.now().date() - datetime.timedelta(days=400)
    type(lyon).objects.filter(pk__in=[lyon.pk, berlin.pk]).update(last_reviewed=old)
    carl = MemberFactory(username="carl", email="carl@lyonbio.eu")
    Representative.objects.create(user=carl, actor=lyon)
    mail.outbox.clear()
    assert remind_stale_profiles() == 2  # Berlin has no representative
    assert sorted(m.to[0] for m in mail.outbox) == ["carl@lyonbio.eu", "marie@lyonbio.eu"]
    assert "still up to date" in mail.outbox[0].subject
    # A second run (e.g. a restarted worker) sends nothing again.
    assert remind_stale_profiles() == 0
    assert len(mail.outbox) == 2
    # A fresh profile gets no reminder.
    ReminderLog.objects.all().delete()
    type(lyon).objects.filter(pk=lyon.pk).update(last_reviewed=timezone.now().date())
    assert remind_stale_profiles() == 0


@pytest.mark.django_db
def test_reminder_command_runs_the_task(representative, lyon):
    from django.core.management import call_command

    type(lyon).objects.filter(pk=lyon.pk).update(last_reviewed=None)
    mail.outbox.clear()
    call_command("send_review_reminders")
    assert [m.to for m in mail.outbox] == [["marie@lyonbio.eu"]]


@pytest.mark.django_db
def test_demo_member_command_is_idempotent(cartography):
    from django.core.management import call_command

    from cobioe_cms.demo.actors import generate_actors

    generate_actors(cartography, 3, seed=1)
    call_command("load_demo_members")
    call_command("load_demo_members")
    user = User.objects.get(email="member@example.org")
    assert Representative.objects.filter(user=user).count() == 1
    assert Representative.objects.get(user=user).actor.is_demo
