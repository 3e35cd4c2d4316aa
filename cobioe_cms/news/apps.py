from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "cobioe_cms.news"
    label = "cobioe_news"
    verbose_name = _("News")
