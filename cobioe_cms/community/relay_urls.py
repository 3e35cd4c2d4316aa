"""The contact relay's addresses, under ``/community/messages/`` (included by
``community/urls.py`` in the ``community`` namespace)."""

from django.urls import path

from . import relay_views as views

urlpatterns = [
    path("messages/", views.inbox, name="relay_inbox"),
    path("messages/<id:pk>/", views.conversation_page, name="relay_conversation"),
    path("messages/<id:pk>/block/", views.block_sender, name="relay_block"),
    path("messages/<id:pk>/unblock/", views.unblock_sender, name="relay_unblock"),
    path("messages/<id:pk>/report/", views.report_conversation, name="relay_report"),
    path(
        "messages/new/organisation/<id:pk>/",
        views.contact_organisation,
        name="relay_contact",
    ),
    path(
        "messages/new/opportunity/<id:pk>/",
        views.express_interest,
        name="relay_interest",
    ),
]
