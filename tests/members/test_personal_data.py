"""Every model that holds data about a person takes part in the account export and the
account deletion, through the one registry of ``cobioe_cms.members.personal_data``.

Which references count: every foreign key or one-to-one to the user model (the
many-to-many tables of groups and permissions included, since those are models too),
found by walking ``apps.get_models()``; and every e-mail field, since an address
identifies a person without any key (``Invitation.email``: invitations a member
*received*). Each one must be covered by a registered provider, or, for an e-mail field
that is not about a member, explained in ``OTHER_EMAIL_FIELDS``. After a deletion no row
may point to the account, except the references of ``KEPT_REFERENCES`` (history kept,
attributed to the anonymised account row, each with its reason).

The main test creates one row for every covered reference, downloads the export and
posts the deletion through the member's pages, as a member does.
"""

import io
import json
from collections.abc import Callable

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core import checks
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_comments.models import CommentFlag
from PIL import Image as PILImage
from wagtail.admin.models import EditingSession, FormState
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import (
    APIToken,
    Comment,
    CommentReply,
    Page,
    PageLogEntry,
    PageSubscription,
    Task,
    TaskState,
    UploadedFile,
    Workflow,
    WorkflowState,
)
from wagtail.users.models import UserProfile

from cobioe_cms.community.models import (
    Conversation,
    Follow,
    GroupInvitation,
    GroupMembership,
    GroupProposal,
    Notification,
    NotificationPreference,
    OpportunityBoardPage,
    OpportunityPage,
    RelayMessage,
    RelayReport,
    SenderBlock,
    WorkingGroupIndexPage,
)
from cobioe_cms.members import gdpr, personal_data
from cobioe_cms.members.models import (
    Claim,
    Invitation,
    MemberProfile,
    OrganisationFlag,
    ReminderLog,
    Representative,
)
from cobioe_cms.onboarding.models import ActorImport
from cobioe_cms.watch.models import DigestDelivery, InterestProfile, ItemFeedback, SavedSearch
from tests.factories import (
    ActorPageFactory,
    MemberFactory,
    ThreadFactory,
    WatchItemFactory,
    WorkingGroupPageFactory,
    make_reply,
)

MFA = apps.is_installed("allauth.mfa")

# -- one row per covered reference ------------------------------------------------------
#
# Each factory creates a row that refers to ``user`` through that reference, and returns
# a text that the export must contain (in the section of the provider that covers it).


class World:
    def __init__(self, user, other, cartography):
        self.user, self.other, self.cartography = user, other, cartography
        self._pages = {}

    def page(self, title):
        """One organisation per title, so a marker can only come from its own row."""
        if title not in self._pages:
            self._pages[title] = ActorPageFactory(parent=self.cartography, title=title)
        return self._pages[title]

    def group(self, title):
        """One working group per title, under one groups index."""
        if title not in self._pages:
            index = WorkingGroupIndexPage.objects.first()
            if index is None:
                index = self.cartography.get_parent().add_child(
                    instance=WorkingGroupIndexPage(title="Groups", slug="groups")
                )
            self._pages[title] = WorkingGroupPageFactory(parent=index, title=title)
        return self._pages[title]


def _groups(w):
    w.user.groups.add(Group.objects.get(name="Editors"))
    return "Editors"


def _permissions(w):
    w.user.user_permissions.add(Permission.objects.get(codename="view_invitation"))
    return "cobioe_members.view_invitation"


def _second_address(w):
    EmailAddress.objects.create(user=w.user, email="marie.pro@lyonbio.eu", verified=True)
    return "marie.pro@lyonbio.eu"


def _member_profile(w):
    MemberProfile.objects.filter(user=w.user).update(job_title="Head of quality")
    return "Head of quality"


def _representative(w):
    Representative.objects.create(user=w.user, actor=w.page("Represented Org"))
    return "Represented Org"


def _representative_added(w):
    Representative.objects.create(user=w.other, actor=w.page("Colleague Org"), invited_by=w.user)
    return "Colleague Org"


def _claims(w):
    # A decided claim (kept, anonymised) and a pending one (deleted).
    Claim.objects.create(
        user=w.user,
        actor=w.page("Claimed Org"),
        email="marie.claim@lyonbio.eu",
        message="I run its plant",
        status=Claim.Status.APPROVED,
    )
    Claim.objects.create(user=w.user, actor=w.page("Pending Claim Org"), email="m@lyonbio.eu")
    return "marie.claim@lyonbio.eu"


def _claim_reviewed(w):
    Claim.objects.create(
        user=w.other,
        actor=w.page("Reviewed Org"),
        email="otto@berlin-vectors.de",
        status=Claim.Status.REJECTED,
        reviewed_by=w.user,
    )
    return "Reviewed Org"


def _invitation_sent(w):
    Invitation.objects.create(
        actor=w.page("Inviting Org"), email="colleague@lyonbio.eu", invited_by=w.user
    )
    return "colleague@lyonbio.eu"


def _invitation_received(w):
    # To one of the member's addresses, whatever its case; still pending.
    Invitation.objects.create(
        actor=w.page("Invited Org"), email="Marie@LyonBio.eu", invited_by=w.other
    )
    return "Invited Org"


def _invitation_accepted(w):
    # Accepted from an address the member no longer has.
    Invitation.objects.create(
        actor=w.page("Joined Org"),
        email="marie@old-employer.eu",
        invited_by=w.other,
        accepted_at=timezone.now(),
        accepted_by=w.user,
    )
    return "marie@old-employer.eu"


def _reminder(w):
    ReminderLog.objects.create(actor=w.page("Reminded Org"), user=w.user)
    return "Reminded Org"


def _revision(w):
    page = w.page("Revised Org")
    page.save_revision(user=w.user)
    return "Revised Org"


def _actor_import(w):
    ActorImport.objects.create(
        uploaded_by=w.user, file_name="marie-clusters.csv", cartography=w.cartography
    )
    return "marie-clusters.csv"


def _wagtail_profile(w):
    profile = UserProfile.get_for_user(w.user)
    profile.current_time_zone = "Europe/Lisbon"
    profile.save()
    return "Europe/Lisbon"


def _page_owner(w):
    Page.objects.filter(pk=w.page("Owned Org").pk).update(owner=w.user)
    return "Owned Org"


def _page_lock(w):
    Page.objects.filter(pk=w.page("Locked Org").pk).update(
        locked=True, locked_by=w.user, locked_at=timezone.now()
    )
    return "Locked Org"


def _subscription(w):
    PageSubscription.objects.create(
        user=w.user, page=w.page("Subscribed Org"), comment_notifications=True
    )
    return "Subscribed Org"


def _comment(w):
    Comment.objects.create(
        page=w.page("Commented Org"), user=w.user, text="A comment by Marie", contentpath="title"
    )
    return "A comment by Marie"


def _comment_resolved(w):
    Comment.objects.create(
        page=w.page("Resolved Org"),
        user=w.other,
        text="Otto's remark",
        contentpath="title",
        resolved_by=w.user,
        resolved_at=timezone.now(),
    )
    return "Resolved Org"


def _reply(w):
    comment = Comment.objects.create(
        page=w.page("Discussed Org"), user=w.other, text="Otto asks", contentpath="title"
    )
    CommentReply.objects.create(comment=comment, user=w.user, text="Marie answers")
    return "Marie answers"


def _workflow_state(w, title="Moderated Org", requested_by=None):
    page = w.page(title)
    return WorkflowState.objects.create(
        content_type=ContentType.objects.get_for_model(page),
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id=str(page.pk),
        workflow=Workflow.objects.create(name=f"Workflow of {title}"),
        status=WorkflowState.STATUS_IN_PROGRESS,
        requested_by=requested_by,
    )


def _moderation_request(w):
    _workflow_state(w, requested_by=w.user)
    return "Moderated Org"


def _task_finished(w):
    state = _workflow_state(w, title="Approved Org", requested_by=w.other)
    TaskState.objects.create(
        workflow_state=state,
        revision=w.page("Approved Org").save_revision(user=w.other),
        task=Task.objects.create(name="Check by Marie"),
        status=TaskState.STATUS_APPROVED,
        finished_by=w.user,
        finished_at=timezone.now(),
        content_type=ContentType.objects.get_for_model(TaskState),
    )
    return "Check by Marie"


def _page_log(w):
    PageLogEntry.objects.log_action(w.page("Logged Org"), "wagtail.edit", user=w.user)
    return "Logged Org"


def _model_log(w):
    flag = OrganisationFlag.objects.create(actor=w.page("Flagged Org"), reason="Flag by Marie")
    log(instance=flag, action="wagtail.edit", user=w.user)
    return "Flag by Marie"


def _admin_log(w):
    LogEntry.objects.create(
        user=w.user,
        content_type=ContentType.objects.get_for_model(Group),
        object_id="1",
        object_repr="Group edited by Marie",
        action_flag=ADDITION,
    )
    return "Group edited by Marie"


SECRET_TOKEN_HASH = "f" * 64


def _api_token(w):
    APIToken.objects.create(
        user=w.user, name="Marie's script", key_hash=SECRET_TOKEN_HASH, prefix="wagtail_ab"
    )
    return "Marie's script"


def _editing_session(w):
    page = w.page("Edited Org")
    EditingSession.objects.create(
        user=w.user,
        content_type=ContentType.objects.get_for_model(Page),
        object_id=str(page.pk),
        last_seen_at=timezone.now(),
    )
    return "Edited Org"


def _form_state(w):
    page = w.page("Drafted Org")
    FormState.objects.create(
        user=w.user,
        content_type=ContentType.objects.get_for_model(Page),
        object_id=str(page.pk),
        parent_object_id="",
        data="title=Unsaved+draft+by+Marie",
        last_updated_at=timezone.now(),
    )
    return "Unsaved+draft+by+Marie"


def _uploaded_file(w):
    w.uploaded = UploadedFile.objects.create(
        file=SimpleUploadedFile("marie-upload.txt", b"half an upload"),
        for_content_type=ContentType.objects.get_for_model(get_document_model()),
        uploaded_by_user=w.user,
    )
    return "marie-upload"


def _document(w):
    get_document_model().objects.create(
        title="Brochure uploaded by Marie",
        file=SimpleUploadedFile("brochure.pdf", b"%PDF-1.4 brochure"),
        uploaded_by_user=w.user,
    )
    return "Brochure uploaded by Marie"


def _image(w):
    buffer = io.BytesIO()
    PILImage.new("RGB", (4, 3), "white").save(buffer, "PNG")
    get_image_model().objects.create(
        title="Photo uploaded by Marie",
        file=SimpleUploadedFile("photo.png", buffer.getvalue()),
        uploaded_by_user=w.user,
    )
    return "Photo uploaded by Marie"


MFA_SECRET = "JBSWY3DPEHPK3PXP-never-exported"


def _authenticator(w):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(
        user=w.user, type=Authenticator.Type.TOTP, data={"secret": MFA_SECRET}
    )
    return "totp"


def _interests(w):
    profile = InterestProfile.objects.create(
        user=w.user, keywords="zymurgy\nbioreactor", countries=["PT"]
    )
    profile.followed_actors.add(w.page("Followed Org"))
    return "zymurgy"


def _saved_search(w):
    SavedSearch.objects.create(
        user=w.user, name="Vectors near Lyon", cartography=w.cartography, querystring="q=vector"
    )
    return "Vectors near Lyon"


def _feedback(w):
    ItemFeedback.objects.create(
        user=w.user, item=WatchItemFactory(title="Irrelevant plant opening")
    )
    return "Irrelevant plant opening"


def _digest(w):
    DigestDelivery.objects.create(user=w.user, period="daily:2026-11-27")  # pending
    return "daily:2026-11-27"


def _group_membership(w):
    GroupMembership.objects.create(
        group=w.group("Joined Group"), user=w.user, reason="We run a potency-assay lab"
    )
    return "We run a potency-assay lab"


def _group_decision(w):
    GroupMembership.objects.create(
        group=w.group("Decided Group"), user=w.other, decided_by=w.user, decided_at=timezone.now()
    )
    return "Decided Group"


def _group_invitation_sent(w):
    GroupInvitation.objects.create(
        group=w.group("Inviting Group"), email="peer@lyonbio.eu", invited_by=w.user
    )
    return "peer@lyonbio.eu"


def _group_invitation_received(w):
    GroupInvitation.objects.create(
        group=w.group("Invited Group"), email="MARIE@lyonbio.eu", invited_by=w.other
    )
    return "Invited Group"


def _group_invitation_accepted(w):
    GroupInvitation.objects.create(
        group=w.group("Accepted Group"),
        email="marie@old-employer.eu",
        invited_by=w.other,
        accepted_at=timezone.now(),
        accepted_by=w.user,
    )
    return "Accepted Group"


def _group_proposal(w):
    GroupProposal.objects.create(
        proposer=w.user, title="Marie's Group Idea", summary="S", mission="M"
    )
    return "Marie's Group Idea"


def _group_proposal_reviewed(w):
    GroupProposal.objects.create(
        proposer=w.other,
        title="Otto's Group Idea",
        summary="S",
        mission="M",
        status="rejected",
        reviewed_by=w.user,
        reviewed_at=timezone.now(),
    )
    return "Otto's Group Idea"


def _group_muted(w):
    GroupMembership.objects.create(
        group=w.group("Muting Group"), user=w.other, muted_at=timezone.now(), muted_by=w.user
    )
    return "Muting Group"


def _thread(w):
    ThreadFactory(group=w.group("Discussing Group"), author=w.user, title="Marie's question")
    return "Marie's question"


def _thread_removed(w):
    ThreadFactory(
        group=w.group("Moderated Group"), author=w.other, status="removed", removed_by=w.user
    )
    return "Moderated Group"


def _group_reply(w):
    thread = ThreadFactory(group=w.group("Replied Group"), author=w.other)
    make_reply(thread, w.user, text="Marie's answer in a group")
    return "Marie's answer in a group"


def _reply_removed(w):
    thread = ThreadFactory(group=w.group("Cleaned Group"), author=w.other)
    make_reply(thread, w.other, text="Spam", removed_at=timezone.now(), removed_by=w.user)
    return "Cleaned Group"


def _reply_flag(w):
    thread = ThreadFactory(group=w.group("Reported Group"), author=w.other)
    reply = make_reply(thread, w.other, text="Rude")
    CommentFlag.objects.create(comment=reply, user=w.user, flag=CommentFlag.SUGGEST_REMOVAL)
    return "Reported Group"


def _follow(w):
    Follow.objects.create(user=w.user, group=w.group("Followed Group"))
    return "Followed Group"


def _notification(w):
    Notification.objects.create(
        recipient=w.user, kind="membership", verb="approved", group=w.group("Notifying Group")
    )
    return "Notifying Group"


def _notification_caused(w):
    Notification.objects.create(
        recipient=w.other, kind="reply", actor=w.user, group=w.group("Answered Group")
    )
    return "Answered Group"


def _notification_preference(w):
    NotificationPreference.objects.create(user=w.user, kind="new_thread", delivery="never")
    return "new_thread"


def _conversation(w, organisation: str, subject: str, sender=None) -> Conversation:
    return Conversation.objects.create(
        sender=sender or w.other,
        organisation=w.page(organisation),
        subject=subject,
        last_message_at=timezone.now(),
    )


def _relay_started(w):
    _conversation(w, "Contacted Org", "Marie's enquiry", sender=w.user)
    return "Marie's enquiry"


def _relay_message(w):
    conversation = _conversation(w, "Answering Org", "Otto's enquiry")
    RelayMessage.objects.create(
        conversation=conversation, author=w.user, from_organisation=True, body="Marie's answer"
    )
    return "Marie's answer"


def _relay_blocked(w):
    SenderBlock.objects.create(organisation=w.page("Blocking Org"), sender=w.user)
    return "Blocking Org"


def _relay_blocker(w):
    SenderBlock.objects.create(
        organisation=w.page("Blocked-from Org"), sender=w.other, blocked_by=w.user
    )
    return "Blocked-from Org"


def _relay_report(w):
    conversation = _conversation(w, "Reporting Org", "Otto's pitch")
    RelayReport.objects.create(conversation=conversation, reporter=w.user, reason="Marie's reason")
    return "Marie's reason"


def _relay_report_resolved(w):
    conversation = _conversation(w, "Resolved Org", "Otto's resolved pitch")
    RelayReport.objects.create(
        conversation=conversation, reporter=w.other, resolved_at=timezone.now(), resolved_by=w.user
    )
    return "Otto's resolved pitch"


def _opportunity(w):
    home = w.cartography.get_parent()
    board = home.add_child(instance=OpportunityBoardPage(title="Opportunities", slug="opps"))
    board.add_child(
        instance=OpportunityPage(
            title="Marie's opportunity",
            organisation=w.page("Offering Org"),
            kind="capacity",
            description="D",
            expires_on=timezone.localdate(),
            posted_by=w.user,
        )
    )
    return "Marie's opportunity"


ROWS: dict[str, Callable[[World], str]] = {
    "auth.User.email": lambda w: w.user.email,
    "auth.User_groups.user": _groups,
    "auth.User_user_permissions.user": _permissions,
    "account.EmailAddress.user": _second_address,
    "account.EmailAddress.email": _second_address,
    "cobioe_members.MemberProfile.user": _member_profile,
    "cobioe_members.Representative.user": _representative,
    "cobioe_members.Representative.invited_by": _representative_added,
    "cobioe_members.Claim.user": _claims,
    "cobioe_members.Claim.email": _claims,
    "cobioe_members.Claim.reviewed_by": _claim_reviewed,
    "cobioe_members.Invitation.invited_by": _invitation_sent,
    "cobioe_members.Invitation.email": _invitation_received,
    "cobioe_members.Invitation.accepted_by": _invitation_accepted,
    "cobioe_members.ReminderLog.user": _reminder,
    "cobioe_onboarding.ActorImport.uploaded_by": _actor_import,
    "wagtailcore.Revision.user": _revision,
    "wagtailusers.UserProfile.user": _wagtail_profile,
    "wagtailcore.Page.owner": _page_owner,
    "wagtailcore.Page.locked_by": _page_lock,
    "wagtailcore.PageSubscription.user": _subscription,
    "wagtailcore.Comment.user": _comment,
    "wagtailcore.Comment.resolved_by": _comment_resolved,
    "wagtailcore.CommentReply.user": _reply,
    "wagtailcore.WorkflowState.requested_by": _moderation_request,
    "wagtailcore.TaskState.finished_by": _task_finished,
    "wagtailcore.PageLogEntry.user": _page_log,
    "wagtailcore.ModelLogEntry.user": _model_log,
    "admin.LogEntry.user": _admin_log,
    "wagtailcore.APIToken.user": _api_token,
    "wagtailadmin.EditingSession.user": _editing_session,
    "wagtailadmin.FormState.user": _form_state,
    "wagtailcore.UploadedFile.uploaded_by_user": _uploaded_file,
    "wagtaildocs.Document.uploaded_by_user": _document,
    "wagtailimages.Image.uploaded_by_user": _image,
    "mfa.Authenticator.user": _authenticator,
    "cobioe_watch.InterestProfile.user": _interests,
    "cobioe_watch.SavedSearch.user": _saved_search,
    "cobioe_watch.ItemFeedback.user": _feedback,
    "cobioe_watch.DigestDelivery.user": _digest,
    "cobioe_community.GroupMembership.user": _group_membership,
    "cobioe_community.GroupMembership.decided_by": _group_decision,
    "cobioe_community.GroupInvitation.invited_by": _group_invitation_sent,
    "cobioe_community.GroupInvitation.email": _group_invitation_received,
    "cobioe_community.GroupInvitation.accepted_by": _group_invitation_accepted,
    "cobioe_community.GroupProposal.proposer": _group_proposal,
    "cobioe_community.GroupProposal.reviewed_by": _group_proposal_reviewed,
    "cobioe_community.GroupMembership.muted_by": _group_muted,
    "cobioe_community.Thread.author": _thread,
    "cobioe_community.Thread.removed_by": _thread_removed,
    "cobioe_community.Reply.removed_by": _reply_removed,
    "cobioe_community.Follow.user": _follow,
    "cobioe_community.Notification.recipient": _notification,
    "cobioe_community.Notification.actor": _notification_caused,
    "cobioe_community.NotificationPreference.user": _notification_preference,
    "cobioe_community.Conversation.sender": _relay_started,
    "cobioe_community.RelayMessage.author": _relay_message,
    "cobioe_community.SenderBlock.sender": _relay_blocked,
    "cobioe_community.SenderBlock.blocked_by": _relay_blocker,
    "cobioe_community.RelayReport.reporter": _relay_report,
    "cobioe_community.RelayReport.resolved_by": _relay_report_resolved,
    "cobioe_community.OpportunityPage.posted_by": _opportunity,
    "django_comments.Comment.user": _group_reply,
    "django_comments.Comment.user_email": _group_reply,
    "django_comments.CommentFlag.user": _reply_flag,
}


def _field(reference: str) -> tuple[type[models.Model], models.Field]:
    app_label, model_name, field_name = reference.split(".")
    model = apps.get_model(app_label, model_name)
    return model, model._meta.get_field(field_name)


def _provider_of(reference: str) -> str:
    return next(p.name for p in personal_data.providers() if reference in p.covers)


# -- the inventory ----------------------------------------------------------------------


def test_every_user_reference_and_email_field_is_registered_or_explained():
    references = personal_data.user_references()
    emails = personal_data.email_fields()
    # The walk does find what it must (it cannot pass by finding nothing).
    assert {
        "cobioe_watch.InterestProfile.user",
        "cobioe_watch.DigestDelivery.user",
        "cobioe_members.Invitation.accepted_by",
        "auth.User_groups.user",
        "wagtailcore.Revision.user",
    } <= set(references)
    assert {"cobioe_members.Invitation.email", "auth.User.email"} <= set(emails)
    if MFA:
        assert "mfa.Authenticator.user" in references
    # A page type's inherited owner is Page's, counted once.
    assert "cobioe_actors.ActorPage.owner" not in references

    assert personal_data.uncovered() == []
    covered = personal_data.covered()
    # No stale entry: each covered or listed name exists, each kept one is covered.
    assert covered <= set(references) | set(emails)
    assert set(personal_data.KEPT_REFERENCES) <= covered
    assert set(personal_data.OTHER_EMAIL_FIELDS) <= set(emails) - covered
    assert all(reason.strip() for reason in personal_data.KEPT_REFERENCES.values())
    # And this test has a row for each covered reference (a new one needs a new row).
    assert covered == {ref for ref in ROWS if ref in set(references) | set(emails)}


def test_a_new_model_holding_a_user_is_reported_until_registered():
    class Bookmark(models.Model):  # noqa: DJ008
        user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
        email = models.EmailField()

        class Meta:
            app_label = "cobioe_members"

    try:
        assert personal_data.uncovered() == [
            "cobioe_members.Bookmark.user",
            "cobioe_members.Bookmark.email",
        ]
        warnings = [m for m in checks.run_checks() if m.id == "cobioe_members.W001"]
        assert [w.msg.split(" ")[0] for w in warnings] == [
            "cobioe_members.Bookmark.user",
            "cobioe_members.Bookmark.email",
        ]
        personal_data.register(
            "bookmarks",
            export=lambda user: [],
            erase=lambda user: None,
            covers=["cobioe_members.Bookmark.user", "cobioe_members.Bookmark.email"],
        )
        assert personal_data.uncovered() == []
    finally:
        personal_data._providers.pop("bookmarks", None)
        del apps.all_models["cobioe_members"]["bookmark"]
        apps.clear_cache()
    assert personal_data.uncovered() == []


def test_higher_apps_register_themselves_and_erase_before_the_account():
    names = [p.name for p in personal_data.providers()]
    assert names[0] == "account"  # first exported, last erased
    assert "watch" in names and names.index("watch") > names.index("email_addresses")
    assert ("mfa_authenticators" in names) == MFA


# -- export and deletion, through the member's pages ------------------------------------


@pytest.mark.django_db
def test_export_and_deletion_cover_every_reference(client, cartography):
    user = MemberFactory(username="marie", email="marie@lyonbio.eu")
    other = MemberFactory(username="otto", email="otto@berlin-vectors.de")
    world = World(user, other, cartography)
    references = set(personal_data.user_references()) | set(personal_data.email_fields())
    markers = {}
    made = {}
    for reference, make_row in ROWS.items():
        if reference not in references:
            continue  # an optional app (allauth.mfa) that is not installed
        if make_row not in made:
            made[make_row] = make_row(world)
        markers[reference] = made[make_row]
    # Otto's own data, which nothing below may touch.
    InterestProfile.objects.create(user=other, keywords="perfusion")
    # Marie invited Otto, who accepted: Otto's side stays.
    Invitation.objects.create(
        actor=world.page("Otto's Org"),
        email="otto@berlin-vectors.de",
        invited_by=user,
        accepted_at=timezone.now(),
        accepted_by=other,
    )
    addresses = [
        "marie@lyonbio.eu",
        "marie.pro@lyonbio.eu",
        "marie@old-employer.eu",
        "marie.claim@lyonbio.eu",  # her claims' evidence
        "m@lyonbio.eu",
    ]

    # Every reference holds a row for Marie, and the export holds its data.
    for reference in markers:
        model, field = _field(reference)
        if isinstance(field, models.EmailField):
            assert model._base_manager.filter(_any_address(field.name, addresses)).exists()
        else:
            assert model._base_manager.filter(**{field.name: user}).exists(), reference
    client.force_login(user)
    response = client.get("/members/account/data/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="my-cobioe-data.json"'
    data = json.loads(response.content)
    missing = {
        reference: (_provider_of(reference), marker)
        for reference, marker in markers.items()
        if marker not in json.dumps(data[_provider_of(reference)], ensure_ascii=False)
    }
    assert missing == {}
    # Secrets are never exported.
    text = response.content.decode()
    assert SECRET_TOKEN_HASH not in text and MFA_SECRET not in text
    assert "perfusion" not in text

    # The deletion, as the member posts it.
    response = client.post(
        "/members/account/delete/", {"password": "a-long-pass-phrase", "confirm": "on"}
    )
    assert response.status_code == 302
    user = User.objects.get(pk=user.pk)
    assert (user.username, user.email, user.is_active) == (f"deleted-{user.pk}", "", False)

    # No row points to Marie any more, but the history that is kept on purpose.
    for reference in markers:
        model, field = _field(reference)
        if isinstance(field, models.EmailField):
            remaining = model._base_manager.filter(_any_address(field.name, addresses))
            assert list(remaining) == [], reference
        elif reference in personal_data.KEPT_REFERENCES:
            assert model._base_manager.filter(**{field.name: user}).exists(), reference
        else:
            assert not model._base_manager.filter(**{field.name: user}).exists(), reference
    # The kept rows carry nothing personal themselves.
    assert MemberProfile.objects.get(user=user).job_title == ""
    assert MemberProfile.objects.get(user=user).deleted_at is not None
    assert list(Claim.objects.filter(user=user).values_list("email", "message")) == [("", "")]
    # Accepted invitations stay in their inviter's history, without Marie.
    joined = Invitation.objects.get(actor=world.page("Joined Org"))
    assert (joined.email, joined.accepted_by, joined.invited_by) == ("", None, other)
    assert not Invitation.objects.filter(actor=world.page("Invited Org")).exists()
    # The site's content stays, without its owner, lock or uploader.
    locked = Page.objects.get(pk=world.page("Locked Org").pk)
    assert (locked.locked, locked.owner) == (False, None)
    assert get_document_model().objects.filter(title="Brochure uploaded by Marie").exists()
    assert not world.uploaded.file.storage.exists(world.uploaded.file.name)
    # Otto's data is untouched.
    assert InterestProfile.objects.filter(user=other).exists()
    invited_otto = Invitation.objects.get(actor=world.page("Otto's Org"))
    assert (invited_otto.email, invited_otto.accepted_by, invited_otto.invited_by) == (
        "otto@berlin-vectors.de",
        other,
        None,
    )
    assert Representative.objects.filter(user=other).exists()

    # Signed out for good; what is left of the account holds nothing of Marie.
    assert client.get("/members/account/data/").status_code == 302
    data = json.loads(json.dumps(gdpr.export_user_data(user)))
    assert data["watch"] == {
        "interests": None,
        "saved_searches": [],
        "not_relevant_items": [],
        "digests": [],
    }
    assert data["invitations_received"] == [] and data["email_addresses"] == []


def _any_address(field_name: str, addresses: list[str]) -> Q:
    query = Q(pk__in=[])
    for address in addresses:
        query |= Q(**{f"{field_name}__iexact": address})
    return query


# -- the search cluster -----------------------------------------------------------------


@pytest.mark.django_db
def test_deletion_removes_the_percolator_document(
    client, search_cluster, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    from tests.conftest import SEARCH_PREFIX

    user = MemberFactory(username="marie", email="marie@lyonbio.eu")
    other = MemberFactory(username="otto", email="otto@berlin-vectors.de")
    mine = InterestProfile.objects.create(user=user, keywords="zymurgy")
    theirs = InterestProfile.objects.create(user=other, keywords="perfusion")
    call_command("search_rebuild", "watch_profiles", stdout=io.StringIO())

    def stored() -> set[int]:
        alias = f"{SEARCH_PREFIX}-watch_profiles"
        search_cluster.indices.refresh(index=alias)
        hits = search_cluster.search(index=alias, body={"query": {"match_all": {}}})
        return {int(hit["_id"]) for hit in hits["hits"]["hits"]}

    assert stored() == {mine.pk, theirs.pk}
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post("/members/account/delete/", {"password": "a-long-pass-phrase", "confirm": "on"})
    assert callbacks, "the deletion queued no index update"
    assert stored() == {theirs.pk}
