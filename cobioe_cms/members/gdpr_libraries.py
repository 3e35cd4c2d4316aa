"""A member's data held by the libraries accounts are built on: Wagtail's and Django's
admin, and allauth (MFA authenticators, sessions and social accounts when installed).
Registered with :mod:`.personal_data` by :func:`.gdpr.register_members_data`, after
members' own data."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist

from . import personal_data
from .gdpr import _date

# -- allauth --------------------------------------------------------------------------


def _export_authenticators(user) -> list:
    """Types and dates only: never a secret, a recovery code or a key."""
    from allauth.mfa.models import Authenticator

    return [
        {
            "type": a.type,
            "created_at": _date(a.created_at),
            "last_used_at": _date(a.last_used_at),
        }
        for a in Authenticator.objects.filter(user=user).order_by("created_at")
    ]


def _erase_authenticators(user) -> None:
    from allauth.mfa.models import Authenticator

    Authenticator.objects.filter(user=user).delete()


def _export_user_sessions(user) -> list:
    from allauth.usersessions.models import UserSession

    return [
        {
            "ip": s.ip,
            "user_agent": s.user_agent,
            "created_at": _date(s.created_at),
            "last_seen_at": _date(s.last_seen_at),
        }
        for s in UserSession.objects.filter(user=user)
    ]


def _erase_user_sessions(user) -> None:
    from allauth.usersessions.models import UserSession

    UserSession.objects.filter(user=user).delete()


def _export_social_accounts(user) -> list:
    from allauth.socialaccount.models import SocialAccount

    return [
        {
            "provider": a.provider,
            "uid": a.uid,
            "date_joined": _date(a.date_joined),
            "last_login": _date(a.last_login),
            "extra_data": a.extra_data,
        }
        for a in SocialAccount.objects.filter(user=user)
    ]


def _erase_social_accounts(user) -> None:
    from allauth.socialaccount.models import SocialAccount

    SocialAccount.objects.filter(user=user).delete()  # their tokens cascade


# -- Wagtail and Django admin ---------------------------------------------------------


def _object(content_type, object_id) -> dict:
    """A generic reference as text: its type, id and title (if it still exists)."""
    try:
        title = str(content_type.get_object_for_this_type(pk=object_id))
    except (ObjectDoesNotExist, AttributeError, ValueError):  # gone, or a "create" form
        title = None
    return {
        "type": f"{content_type.app_label}.{content_type.model}",
        "id": object_id,
        "title": title,
    }


def _export_site_editing(user) -> dict:
    from django.contrib.admin.models import LogEntry
    from wagtail.admin.models import EditingSession, FormState
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import (
        APIToken,
        Comment,
        CommentReply,
        ModelLogEntry,
        Page,
        PageLogEntry,
        PageSubscription,
        TaskState,
        UploadedFile,
        WorkflowState,
    )
    from wagtail.users.models import UserProfile

    profile = UserProfile.objects.filter(user=user).first()
    return {
        "preferences": {
            "preferred_language": profile.preferred_language,
            "current_time_zone": profile.current_time_zone,
            "avatar": profile.avatar.name or None,
            "submitted_notifications": profile.submitted_notifications,
            "approved_notifications": profile.approved_notifications,
            "rejected_notifications": profile.rejected_notifications,
            "updated_comments_notifications": profile.updated_comments_notifications,
        }
        if profile
        else None,
        "pages_owned": [p.title for p in Page.objects.filter(owner=user).order_by("pk")],
        "pages_locked": [p.title for p in Page.objects.filter(locked_by=user).order_by("pk")],
        "page_subscriptions": [
            {"page": s.page.title, "comment_notifications": s.comment_notifications}
            for s in PageSubscription.objects.filter(user=user).select_related("page")
        ],
        "comments": [
            {"page": c.page.title, "text": c.text, "created_at": _date(c.created_at)}
            for c in Comment.objects.filter(user=user).select_related("page")
        ],
        "comments_resolved": [
            {"page": c.page.title, "resolved_at": _date(c.resolved_at)}
            for c in Comment.objects.filter(resolved_by=user).select_related("page")
        ],
        "comment_replies": [
            {"page": r.comment.page.title, "text": r.text, "created_at": _date(r.created_at)}
            for r in CommentReply.objects.filter(user=user).select_related("comment__page")
        ],
        "moderation_requests": [
            {**_object(w.base_content_type, w.object_id), "created_at": _date(w.created_at)}
            for w in WorkflowState.objects.filter(requested_by=user)
        ],
        "moderation_tasks_finished": [
            {
                **_object(t.workflow_state.base_content_type, t.workflow_state.object_id),
                "task": t.task.name,
                "status": t.status,
                "finished_at": _date(t.finished_at),
            }
            for t in TaskState.objects.filter(finished_by=user).select_related(
                "workflow_state__base_content_type", "task"
            )
        ],
        "page_actions": [
            {"page": e.label, "action": e.action, "timestamp": _date(e.timestamp)}
            for e in PageLogEntry.objects.filter(user=user).order_by("timestamp")
        ],
        "other_actions": [
            {"object": e.label, "action": e.action, "timestamp": _date(e.timestamp)}
            for e in ModelLogEntry.objects.filter(user=user).order_by("timestamp")
        ],
        "admin_actions": [
            {"object": e.object_repr, "action_flag": e.action_flag, "time": _date(e.action_time)}
            for e in LogEntry.objects.filter(user=user).order_by("action_time")
        ],
        # Name and dates: never the token.
        "api_tokens": [
            {
                "name": t.name,
                "created": _date(t.created),
                "revoked_at": _date(t.revoked_at),
                "last_used_at": _date(t.last_used_at),
            }
            for t in APIToken.objects.filter(user=user)
        ],
        "editing_sessions": [
            {**_object(s.content_type, s.object_id), "last_seen_at": _date(s.last_seen_at)}
            for s in EditingSession.objects.filter(user=user).select_related("content_type")
        ],
        "unsaved_forms": [
            {
                **_object(f.content_type, f.object_id),
                "data": f.data,
                "last_updated_at": _date(f.last_updated_at),
            }
            for f in FormState.objects.filter(user=user).select_related("content_type")
        ],
        "files_being_uploaded": [
            f.file.name for f in UploadedFile.objects.filter(uploaded_by_user=user)
        ],
        "documents_uploaded": [
            d.title for d in get_document_model().objects.filter(uploaded_by_user=user)
        ],
        "images_uploaded": [
            i.title for i in get_image_model().objects.filter(uploaded_by_user=user)
        ],
    }


def _erase_site_editing(user) -> None:
    """What only served the member goes; the site's content and its history stay, the
    history attributed to the anonymised account (``KEPT_REFERENCES``)."""
    from wagtail.admin.models import EditingSession, FormState
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import APIToken, Page, PageSubscription, UploadedFile
    from wagtail.users.models import UserProfile

    for profile in UserProfile.objects.filter(user=user):
        if profile.avatar:
            profile.avatar.delete(save=False)
        profile.delete()
    PageSubscription.objects.filter(user=user).delete()
    APIToken.objects.filter(user=user).delete()
    EditingSession.objects.filter(user=user).delete()
    FormState.objects.filter(user=user).delete()
    for upload in UploadedFile.objects.filter(uploaded_by_user=user):
        upload.file.delete(save=False)
        upload.delete()
    Page.objects.filter(locked_by=user).update(locked=False, locked_by=None, locked_at=None)
    Page.objects.filter(owner=user).update(owner=None)
    get_document_model().objects.filter(uploaded_by_user=user).update(uploaded_by_user=None)
    get_image_model().objects.filter(uploaded_by_user=user).update(uploaded_by_user=None)


def register_library_data() -> None:
    register = personal_data.register
    register(
        "site_editing",
        export=_export_site_editing,
        erase=_erase_site_editing,
        covers=[
            "wagtailusers.UserProfile.user",
            "wagtailcore.Page.owner",
            "wagtailcore.Page.locked_by",
            "wagtailcore.PageSubscription.user",
            "wagtailcore.Comment.user",
            "wagtailcore.Comment.resolved_by",
            "wagtailcore.CommentReply.user",
            "wagtailcore.WorkflowState.requested_by",
            "wagtailcore.TaskState.finished_by",
            "wagtailcore.PageLogEntry.user",
            "wagtailcore.ModelLogEntry.user",
            "admin.LogEntry.user",
            "wagtailcore.APIToken.user",
            "wagtailadmin.EditingSession.user",
            "wagtailadmin.FormState.user",
            "wagtailcore.UploadedFile.uploaded_by_user",
            "wagtaildocs.Document.uploaded_by_user",
            "wagtailimages.Image.uploaded_by_user",
        ],
    )
    optional: list[tuple[str, str, Any, Any, list[str]]] = [
        (
            "allauth.mfa",
            "mfa_authenticators",
            _export_authenticators,
            _erase_authenticators,
            ["mfa.Authenticator.user"],
        ),
        (
            "allauth.usersessions",
            "sessions",
            _export_user_sessions,
            _erase_user_sessions,
            ["usersessions.UserSession.user"],
        ),
        (
            "allauth.socialaccount",
            "social_accounts",
            _export_social_accounts,
            _erase_social_accounts,
            ["socialaccount.SocialAccount.user"],
        ),
    ]
    for app, name, export, erase, covers in optional:
        if apps.is_installed(app):
            register(name, export=export, erase=erase, covers=covers)
