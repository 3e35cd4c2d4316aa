from django.urls import path

from . import discussion_views as discussions
from . import notification_views, views

app_name = "community"

urlpatterns = [
    path("groups/<int:pk>/join/", views.join, name="join"),
    path("groups/<int:pk>/request/", views.request_to_join, name="request"),
    path("groups/<int:pk>/leave/", views.leave, name="leave"),
    path("groups/<int:pk>/manage/", views.manage, name="manage"),
    path("groups/<int:pk>/invite/", views.invite, name="invite"),
    path(
        "groups/<int:pk>/invitations/<int:invitation_id>/cancel/",
        views.cancel_invitation,
        name="cancel_invitation",
    ),
    path("groups/<int:pk>/members/<int:membership_id>/approve/", views.approve, name="approve"),
    path("groups/<int:pk>/members/<int:membership_id>/decline/", views.decline, name="decline"),
    path("groups/<int:pk>/members/<int:membership_id>/remove/", views.remove, name="remove"),
    path("groups/<int:pk>/members/<int:membership_id>/promote/", views.promote, name="promote"),
    path(
        "groups/<int:pk>/members/<int:membership_id>/mute/",
        discussions.mute_member,
        {"muted": True},
        name="mute",
    ),
    path(
        "groups/<int:pk>/members/<int:membership_id>/unmute/",
        discussions.mute_member,
        {"muted": False},
        name="unmute",
    ),
    path("groups/propose/", views.propose_group, name="propose"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
    # Discussions
    path("groups/<int:pk>/threads/new/", discussions.new_thread, name="new_thread"),
    path("groups/<int:pk>/threads/<int:thread_id>/", discussions.thread_page, name="thread"),
    path(
        "groups/<int:pk>/threads/<int:thread_id>/edit/",
        discussions.edit_thread,
        name="edit_thread",
    ),
    path(
        "groups/<int:pk>/threads/<int:thread_id>/reply/",
        discussions.post_reply,
        name="post_reply",
    ),
    path(
        "groups/<int:pk>/threads/<int:thread_id>/follow/",
        discussions.follow_thread,
        name="follow_thread",
    ),
    path(
        "groups/<int:pk>/threads/<int:thread_id>/move/",
        discussions.move_thread,
        name="move_thread",
    ),
    path(
        "groups/<int:pk>/threads/<int:thread_id>/<slug:action>/",
        discussions.moderate_thread,
        name="moderate_thread",
    ),
    path("groups/<int:pk>/moderation/", discussions.moderation_queue, name="moderation"),
    path("replies/<int:reply_id>/", discussions.reply_permalink, name="reply"),
    path("replies/<int:reply_id>/edit/", discussions.edit_reply, name="edit_reply"),
    path("replies/<int:reply_id>/delete/", discussions.delete_reply, name="delete_reply"),
    path("replies/<int:reply_id>/report/", discussions.flag_reply, name="flag_reply"),
    path(
        "replies/<int:reply_id>/<slug:action>/",
        discussions.moderate_reply,
        name="moderate_reply",
    ),
    # Follows and notifications
    path("groups/<int:pk>/follow/", notification_views.follow_group, name="follow_group"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/read/", notification_views.mark_all_read, name="mark_all_read"),
    path(
        "notifications/preferences/",
        notification_views.notification_preferences,
        name="notification_preferences",
    ),
    path(
        "notifications/<int:notification_id>/open/",
        notification_views.open_notification,
        name="open_notification",
    ),
]
