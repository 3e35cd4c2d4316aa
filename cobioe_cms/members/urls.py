from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("organisations/new/", views.create_organisation, name="create_organisation"),
    path("organisations/suggest/", views.suggest, name="suggest"),
    path("organisations/<int:pk>/edit/", views.edit_organisation, name="edit_organisation"),
    path("organisations/<int:pk>/submit/", views.submit_organisation, name="submit"),
    path("organisations/<int:pk>/claim/", views.claim, name="claim"),
    path("organisations/<int:pk>/invite/", views.invite, name="invite"),
    path("organisations/<int:pk>/pending-logo/", views.pending_logo, name="pending_logo"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("account/data/", views.export_data, name="export_data"),
    path("account/delete/", views.delete_account, name="delete_account"),
]
