"""URL patterns included by ``community/urls.py`` (same ``community`` namespace)."""

from django.urls import path

from . import suggestion_views

urlpatterns = [
    path(
        "organisations/<id:pk>/partners/",
        suggestion_views.partners_for_organisation,
        name="partners_for_organisation",
    ),
]
