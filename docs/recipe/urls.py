# COBIOE: appended to the urls.py of a site made by `wagtail start`. The URLs of the
# installed apps of the extension (none for the cartography alone: its map data and
# exports are routes of its page), ahead of the site's own; Wagtail's pages stay last.
from django.urls import include, path

urlpatterns = [path("", include("cobioe_cms.urls")), *urlpatterns]
