from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "cobioe_cms.demo"
    label = "cobioe_demo"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Demo content"  # no model: shown nowhere, so not translated
