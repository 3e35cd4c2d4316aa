"""sitemap.xml, robots.txt and the open-data files: once, in no language (a site
includes them outside ``i18n_patterns``, see :mod:`cobioe_cms.urls_neutral`)."""

from django.urls import path

from . import discovery, opendata

app_name = "cobioe_discovery"

urlpatterns = [
    path("sitemap.xml", discovery.sitemap, name="sitemap"),
    path("robots.txt", discovery.robots_txt, name="robots"),
    path("opendata/", opendata.index, name="opendata"),
    path("opendata/datapackage.json", opendata.datapackage, name="datapackage"),
    path("opendata/actors.<str:fmt>", opendata.download, name="opendata_file"),
]
