from django.urls import path

from . import views

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
    path("groups/propose/", views.propose_group, name="propose"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
