"""Local development: debug on, throwaway secret, e-mails printed to the console."""

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "django-insecure-dev-only-not-for-production"  # noqa: S105
ALLOWED_HOSTS = ["*"]
# Django's debug pages use inline styles: report policy violations, do not enforce.
COBIOE_CSP_REPORT_ONLY = True
