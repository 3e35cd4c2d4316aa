"""The extension's URLs that exist once, in no language: the open-data API
(``api/v1/``), the open-data files, ``sitemap.xml`` and ``robots.txt``.

A site includes them outside ``i18n_patterns`` (see :mod:`cobioe_cms.urls`)."""

from cobioe_cms.urls import LANGUAGE_NEUTRAL_URLS, installed_app_urls

urlpatterns = installed_app_urls(app_urls=LANGUAGE_NEUTRAL_URLS)
