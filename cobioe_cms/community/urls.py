from django.urls import include, path, register_converter

from . import discussion_views as discussions
from . import notification_views, views


class IdConverter:
    """A database id: at most 18 digits, so that an id no database column holds is a 404
    (``<int:>`` takes any length, and SQLite fails on an integer past 64 bits)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")

app_name = "community"

urlpatterns = [
    path("groups/<id:pk>/join/", views.join, name="join"),
    path("groups/<id:pk>/request/", views.request_to_join, name="request"),
    path("groups/<id:pk>/leave/", views.leave, name="leave"),
    path("groups/<id:pk>/manage/", views.manage, name="manage"),
    path("groups/<id:pk>/invite/", views.invite, name="invite"),
    path(
        "groups/<id:pk>/invitations/<id:invitation_id>/cancel/",
        views.cancel_invitation,
        name="cancel_invitation",
    ),
    path("groups/<id:pk>/members/<id:membership_id>/approve/", views.approve, name="approve"),
    path("groups/<id:pk>/members/<id:membership_id>/decline/", views.decline, name="decline"),
    path("groups/<id:pk>/members/<id:membership_id>/remove/", views.remove, name="remove"),
    path("groups/<id:pk>/members/<id:membership_id>/promote/", views.promote, name="promote"),
    path(
        "groups/<id:pk>/members/<id:membership_id>/mute/",
        discussions.mute_member,
        {"muted": True},
        name="mute",
    ),
    path(
        "groups/<id:pk>/members/<id:membership_id>/unmute/",
        discussions.mute_member,
        {"muted": False},
        name="unmute",
    ),
    path("groups/propose/", views.propose_group, name="propose"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
    # Discussions
    path("groups/<id:pk>/threads/new/", discussions.new_thread, name="new_thread"),
    path("groups/<id:pk>/threads/<id:thread_id>/", discussions.thread_page, name="thread"),
    path(
        "groups/<id:pk>/threads/<id:thread_id>/edit/",
        discussions.edit_thread,
        name="edit_thread",
    ),
    path(
        "groups/<id:pk>/threads/<id:thread_id>/reply/",
        discussions.post_reply,
        name="post_reply",
    ),
    path(
        "groups/<id:pk>/threads/<id:thread_id>/follow/",
        discussions.follow_thread,
        name="follow_thread",
    ),
    path(
        "groups/<id:pk>/threads/<id:thread_id>/move/",
        discussions.move_thread,
        name="move_thread",
    ),
    path(
        "groups/<id:pk>/threads/<id:thread_id>/<slug:action>/",
        discussions.moderate_thread,
        name="moderate_thread",
    ),
    path("groups/<id:pk>/moderation/", discussions.moderation_queue, name="moderation"),
    path("replies/<id:reply_id>/", discussions.reply_permalink, name="reply"),
    path("replies/<id:reply_id>/edit/", discussions.edit_reply, name="edit_reply"),
    path("replies/<id:reply_id>/delete/", discussions.delete_reply, name="delete_reply"),
    path("replies/<id:reply_id>/report/", discussions.flag_reply, name="flag_reply"),
    path(
        "replies/<id:reply_id>/<slug:action>/",
        discussions.moderate_reply,
        name="moderate_reply",
    ),
    # Follows and notifications
    path("groups/<id:pk>/follow/", notification_views.follow_group, name="follow_group"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/read/", notification_views.mark_all_read, name="mark_all_read"),
    path(
        "notifications/preferences/",
        notification_views.notification_preferences,
        name="notification_preferences",
    ),
    path(
        "notifications/<id:notification_id>/open/",
        notification_views.open_notification,
        name="open_notification",
    ),
    # Collaboration: opportunities (posting, review, renewal) and the contact relay
    path("", include("cobioe_cms.community.opportunity_urls")),
    path("", include("cobioe_cms.community.relay_urls")),
    path("", include("cobioe_cms.community.suggestion_urls")),
]
