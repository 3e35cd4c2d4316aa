"""The discussions need django-comments-xtd set up with the community's reply model."""

from django.conf import settings
from django.core import checks

REPLY_MODEL = "cobioe_cms.community.models.Reply"
REPLY_FORM = "cobioe_cms.community.forms.ReplyForm"


@checks.register()
def comments_settings(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """``cobioe_community.E002``: the comments settings the discussions rely on."""
    wanted = {
        "COMMENTS_APP": "django_comments_xtd",
        "COMMENTS_XTD_MODEL": REPLY_MODEL,
        "COMMENTS_XTD_FORM_CLASS": REPLY_FORM,
    }
    errors = []
    for name, value in wanted.items():
        if getattr(settings, name, None) != value:
            errors.append(
                checks.Error(
                    f"{name} must be {value!r} for the working groups' discussions.",
                    hint="See docs/recipe/platform_settings.py.",
                    id="cobioe_community.E002",
                )
            )
    if getattr(settings, "COMMENTS_XTD_CONFIRM_EMAIL", True):
        errors.append(
            checks.Error(
                "COMMENTS_XTD_CONFIRM_EMAIL must be False: members post signed in.",
                hint="See docs/recipe/platform_settings.py.",
                id="cobioe_community.E002",
            )
        )
    return errors
