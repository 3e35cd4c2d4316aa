from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PanoramaConfig(AppConfig):
    """The panorama of the sector (statistics, coverage against the 90 % goal, country
    factsheets) and the open data (the read-only API, bulk downloads).

    On the top layer with ``watch`` and ``community``: it reads ``actors`` and ``news``;
    no app imports it. Other apps add their endpoints to the open-data API through
    ``cobioe_cms.core.api`` (a registry of the lower layer), never by importing it.
    """

    name = "cobioe_cms.panorama"
    label = "cobioe_panorama"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Panorama and open data")
    requires = ("cobioe_cms.actors", "cobioe_cms.news")

    def ready(self):
        from . import opendata, statistics

        statistics.connect()  # the statistics' snapshot is rebuilt after every change
        opendata.connect()  # so are the open-data files, in the background
