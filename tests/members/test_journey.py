"""From the home page to a published profile, with the e-mails it sends."""

import re

import pytest
from django.core import mail

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.core.models import OrganisationType, ValueChainStage
from cobioe_cms.members.models import MemberProfile, Representative


def link_in(message) -> str:
    return re.search(r"https?://[^\s]+", message.body).group(0)


@pytest.mark.django_db
def test_new_member_gets_a_profile_published(client, cartography, editor):
    home = client.get("/").content.decode()
    assert 'href="/accounts/signup/"' in home

    response = client.post(
        "/accounts/signup/",
        {
            "email": "new@cellfab.eu",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
            "full_name": "Nora New",
            "privacy_consent": "on",
        },
    )
    assert response.status_code == 302
    profile = MemberProfile.objects.get(user__email="new@cellfab.eu")
    assert profile.privacy_policy_version and profile.privacy_consent_at
    assert profile.marketing_opt_in is False  # opt-in only
    (confirmation,) = mail.outbox
    # allauth's e-mails name the platform, neither the host nor django.contrib.sites'
    # default "example.com".
    assert confirmation.subject.startswith("[COBIOE] ")
    assert "example.com" not in confirmation.body and "Hello from COBIOE" in confirmation.body
    confirm_url = link_in(confirmation).replace("http://testserver", "")
    assert client.post(confirm_url).status_code == 302

    dashboard = client.get("/members/")
    assert dashboard.status_code == 200
    assert "You do not represent any organisation yet." in dashboard.content.decode()

    cro = OrganisationType.objects.get(slug="cro")
    form = {
        "title": "CellFab Analytics",
        "organisation_type": cro.pk,
        "country": "FR",
        "city": "Nantes",
        "website": "https://cellfab.eu",
        "stages": [ValueChainStage.objects.get(slug="quality-control").pk],
        "summary": "QC release testing for cell therapies.",
    }
    response = client.post("/members/organisations/new/", form)
    actor = ActorPage.objects.get(title="CellFab Analytics")
    assert response.status_code == 302
    assert not actor.live
    assert client.get(actor.url or "/cartography/cellfab-analytics/").status_code == 404

    mail.outbox.clear()
    form["summary"] = "QC release testing for cell and gene therapies."
    response = client.post(f"/members/organisations/{actor.pk}/edit/", {**form, "submit": "1"})
    assert response.status_code == 302, response.content.decode()[:3000]
    actor.refresh_from_db()
    assert actor.current_workflow_state is not None
    # Editors are told a profile waits for them.
    assert any("edith@cobioe.eu" in m.to + m.bcc for m in mail.outbox)
    assert "in review" in client.get("/members/").content.decode()

    # The editor approves in the Wagtail admin.
    mail.outbox.clear()
    client.logout()
    client.force_login(editor)
    task_state = actor.current_workflow_state.current_task_state
    response = client.post(
        f"/admin/pages/workflow/action/{actor.pk}/approve/{task_state.pk}/", {"comment": ""}
    )
    assert response.status_code in {200, 302}
    actor.refresh_from_db()
    assert actor.live
    assert actor.summary == "QC release testing for cell and gene therapies."
    assert actor.last_reviewed is not None
    (message,) = [m for m in mail.outbox if "new@cellfab.eu" in m.to + m.bcc]
    assert "is published" in message.subject
    client.logout()
    assert "CellFab Analytics" in client.get("/cartography/?country=FR").content.decode()


@pytest.mark.django_db
def test_editor_requests_changes_and_member_resubmits(client, representative, lyon, editor):
    client.force_login(representative)
    form = {
        "title": lyon.title,
        "organisation_type": lyon.organisation_type_id,
        "country": "FR",
        "city": "Lyon",
        "summary": "Draft summary",
    }
    client.post(f"/members/organisations/{lyon.pk}/edit/", {**form, "submit": "1"})
    lyon.refresh_from_db()
    assert lyon.summary == ""  # the live profile is unchanged while in review
    task_state = lyon.current_workflow_state.current_task_state

    mail.outbox.clear()
    client.force_login(editor)
    client.post(
        f"/admin/pages/workflow/action/{lyon.pk}/reject/{task_state.pk}/",
        {"comment": "Please add your GMP status."},
    )
    (message,) = [m for m in mail.outbox if "marie@lyonbio.eu" in m.to + m.bcc]
    assert "Changes requested" in message.subject
    assert "Please add your GMP status." in message.body

    client.force_login(representative)
    assert "changes requested" in client.get("/members/").content.decode()
    client.post(
        f"/members/organisations/{lyon.pk}/edit/",
        {**form, "summary": "Better summary", "submit": "1"},
    )
    lyon.refresh_from_db()
    assert lyon.current_workflow_state.status == "in_progress"
    assert Representative.objects.filter(actor=lyon).count() == 1
