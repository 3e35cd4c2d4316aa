from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "cobioe_cms.demo"
    label = "cobioe_demo"
    default_auto_field = "django.db.models.BigAutoField"
    # Apps this one needs installed (checked by cobioe_core.E001).
    requires = ("cobioe_cms.actors",)
    verbose_name = "Demo content"  # no model: shown nowhere, so not translated
