# COBIOE: appended to the urls.py of a site made by `wagtail start`. The URLs of the
# installed apps of the extension (none for the cartography alone: its map data and
# exports are routes of its page), ahead of the site's own; Wagtail's pages stay last.
# ``cobioe_cms.urls_neutral`` holds the URLs that exist once in any language (the
# panorama's open-data API and files, sitemap.xml, robots.txt; none without it).
from django.urls import include, path

urlpatterns = [
    path("", include("cobioe_cms.urls_neutral")),
    path("", include("cobioe_cms.urls")),
    *urlpatterns,
]
