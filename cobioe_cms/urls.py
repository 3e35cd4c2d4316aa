"""URLs of the COBIOE extension that are not Wagtail pages.

A site includes them with ``path("", include("cobioe_cms.urls"))`` before Wagtail's
page-serving URLs. Pages (cartography, profiles) are served by Wagtail itself.
"""

from django.urls import include, path

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("members/", include("cobioe_cms.members.urls")),
    path("watch/", include("cobioe_cms.watch.urls")),
    path("search/", include("cobioe_cms.search.urls")),
]
