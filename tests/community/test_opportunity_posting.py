"""A representative posts an opportunity, the editors review it in the Wagtail admin,
and the representative closes, reopens and edits it: what each step publishes, and the
e-mails that tell them."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.models import WorkflowState

from cobioe_cms.community.models import OpportunityPage

from . import opportunity_support as support
from .opportunity_support import editor_decides, form, post_opportunity, published, url

# Fixtures
board, lyon, rep, plain_member = support.board, support.lyon, support.rep, support.plain_member

pytestmark = pytest.mark.django_db


def latest(page):
    return OpportunityPage.objects.get(pk=page.pk).get_latest_revision_as_object()


def test_draft_is_an_unpublished_page_under_the_board_with_a_revision(client, board, rep, lyon):
    client.force_login(rep)
    page = post_opportunity(client, lyon)
    assert not page.live
    assert page.get_parent().pk == board.pk
    assert page.organisation_id == lyon.pk
    assert page.posted_by_id == rep.pk and page.owner_id == rep.pk
    assert page.revisions.count() == 1
    draft = page.get_latest_revision_as_object()
    assert sorted(draft.stages.values_list("slug", flat=True)) == [
        "commercial-manufacturing",
        "production",
    ]
    assert sorted(str(code) for code in draft.countries) == ["DE", "FR"]
    assert draft.gmp_status.slug == "gmp-certified"
    assert page.current_workflow_state is None
    # Nobody else sees a draft.
    client.logout()
    assert client.get(f"/opportunities/{page.slug}/").status_code == 404


def test_submit_review_approve_publishes_and_tells_the_representatives(
    client, board, rep, lyon, editor
):
    client.force_login(rep)
    page = post_opportunity(client, lyon, submit=True)
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert "in review" in client.get(url("my_opportunities")).content.decode()

    mail.outbox.clear()
    page = editor_decides(client, editor, page)
    assert page.live and page.status == "open"
    assert page.title == "GMP fill & finish capacity for viral vectors"
    assert OpportunityPage.objects.current().filter(pk=page.pk).exists()
    (message,) = [m for m in mail.outbox if "rita@lyonbio.eu" in m.to]
    assert "is published" in message.subject
    assert "“GMP fill & finish capacity for viral vectors”" in message.subject  # not &amp;
    assert page.full_url in message.body or page.url in message.body


def test_changes_requested_tells_the_representative_and_resubmission_resumes(
    client, board, rep, lyon, editor
):
    client.force_login(rep)
    page = post_opportunity(client, lyon, submit=True)
    mail.outbox.clear()
    editor_decides(client, editor, page, "reject", "Say which vectors (AAV, lentivirus).")
    (message,) = [m for m in mail.outbox if "rita@lyonbio.eu" in m.to]
    assert "Changes requested" in message.subject
    assert "Say which vectors (AAV, lentivirus)." in message.body
    assert url("edit_opportunity", page.pk) in message.body

    client.force_login(rep)
    assert "changes requested" in client.get(url("my_opportunities")).content.decode()
    response = client.post(
        url("edit_opportunity", page.pk),
        {**form(lyon, title="AAV and lentivirus fill & finish"), "submit": "1"},
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert not page.live


def test_approval_publishes_the_reviewed_revision_not_a_later_one(client, board, rep, lyon, editor):
    """A save while in review is refused; a revision sneaked in another way stays a
    draft: what is published is what the editor reviewed."""
    client.force_login(rep)
    page = post_opportunity(client, lyon, submit=True)
    response = client.post(url("edit_opportunity", page.pk), form(lyon, title="Changed title"))
    assert response.status_code == 400
    assert "The editors are reviewing this opportunity" in response.content.decode()
    assert "Changed title" in response.content.decode()  # what was typed is kept
    assert page.revisions.count() == 1

    later = page.get_latest_revision_as_object()
    later.title = "Not reviewed"
    later.save_revision(user=rep)
    page = editor_decides(client, editor, page)
    assert page.title == "GMP fill & finish capacity for viral vectors"
    assert latest(page).title == "Not reviewed"


def test_withdraw_then_edit_then_submit(client, board, rep, lyon):
    client.force_login(rep)
    page = post_opportunity(client, lyon, submit=True)
    response = client.post(url("withdraw_opportunity", page.pk))
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.current_workflow_state is None
    assert "draft" in client.get(url("my_opportunities")).content.decode()
    response = client.post(url("edit_opportunity", page.pk), form(lyon, title="A better title"))
    assert response.status_code == 302
    assert latest(page).title == "A better title"
    assert page.revisions.count() == 2
    client.post(url("submit_opportunity", page.pk))
    page.refresh_from_db()
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


def test_withdraw_from_the_form_saves_what_was_typed(client, board, rep, lyon):
    client.force_login(rep)
    page = post_opportunity(client, lyon, submit=True)
    response = client.post(
        url("edit_opportunity", page.pk),
        {**form(lyon, title="Typed while in review"), "withdraw": "1"},
    )
    assert response.status_code == 302
    assert latest(page).title == "Typed while in review"
    page.refresh_from_db()
    assert page.current_workflow_state is None


def test_edit_of_a_published_one_is_a_draft_until_approved(client, board, rep, lyon, editor):
    page = published(client, rep, editor, lyon)
    response = client.post(url("edit_opportunity", page.pk), form(lyon, title="Edited offer"))
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.title != "Edited offer" and page.live
    assert "newer changes not yet submitted" in client.get(url("my_opportunities")).content.decode()
    response = client.post(
        url("edit_opportunity", page.pk), {**form(lyon, title="Edited offer"), "submit": "1"}
    )
    page = editor_decides(client, editor, page)
    assert page.title == "Edited offer"


def test_close_needs_no_review_and_survives_a_pending_approval(client, board, rep, lyon, editor):
    page = published(client, rep, editor, lyon)
    client.post(
        url("edit_opportunity", page.pk), {**form(lyon, title="Edited offer"), "submit": "1"}
    )
    response = client.post(url("close_opportunity", page.pk))
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live and page.status == "closed"
    assert not OpportunityPage.objects.current().filter(pk=page.pk).exists()
    # The editor approves the edit sent before: the opportunity stays closed.
    page = editor_decides(client, editor, page)
    assert page.title == "Edited offer"
    assert page.status == "closed"


def test_reopen_a_closed_one(client, board, rep, lyon, editor):
    page = published(client, rep, editor, lyon)
    client.post(url("close_opportunity", page.pk))
    assert "<td>closed</td>" in client.get(url("my_opportunities")).content.decode()
    expires_on = OpportunityPage.objects.get(pk=page.pk).expires_on
    response = client.post(url("reopen_opportunity", page.pk))
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.status == "open" and page.expires_on == expires_on
    assert OpportunityPage.objects.current().filter(pk=page.pk).exists()
    # Twice: a clear message, nothing changed.
    response = client.post(url("reopen_opportunity", page.pk), follow=True)
    assert "already open" in response.content.decode()


def test_close_a_draft_is_refused(client, board, rep, lyon):
    client.force_login(rep)
    page = post_opportunity(client, lyon)
    response = client.post(url("close_opportunity", page.pk), follow=True)
    assert "Only a published opportunity can be closed." in response.content.decode()
    page.refresh_from_db()
    assert page.status == "open" and not page.live


def test_submit_with_a_past_expiry_is_refused(client, board, rep, lyon):
    client.force_login(rep)
    page = post_opportunity(client, lyon)
    OpportunityPage.objects.filter(pk=page.pk).update(
        expires_on=timezone.localdate() - timedelta(days=1)
    )
    revision = page.get_latest_revision()
    revision.content["expires_on"] = (timezone.localdate() - timedelta(days=1)).isoformat()
    revision.save()
    response = client.post(url("submit_opportunity", page.pk), follow=True)
    assert "expiry date has passed" in response.content.decode()
    page.refresh_from_db()
    assert page.current_workflow_state is None


def test_the_dashboard_lists_them_with_their_status_and_links(client, board, rep, lyon, editor):
    page = published(client, rep, editor, lyon, title="Published offer")
    post_opportunity(client, lyon, title="Drafted request")
    body = client.get("/members/").content.decode()
    assert 'id="opportunities-heading"' in body
    assert "Published offer" in body and f'href="{page.url}"' in body
    assert "<td>published</td>" in body and "<td>draft</td>" in body
    assert f"{url('new_opportunity')}?organisation={lyon.pk}" in body
    assert url("close_opportunity", page.pk) in body
    assert url("renew_opportunity", page.pk) in body


def test_the_dashboard_has_no_section_for_a_member_who_represents_no_one(
    client, board, plain_member
):
    client.force_login(plain_member)
    body = client.get("/members/").content.decode()
    assert 'id="opportunities-heading"' not in body
