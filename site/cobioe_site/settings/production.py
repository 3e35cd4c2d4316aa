"""Production: every secret comes from the environment, HTTPS everywhere.

Starting without SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS or WAGTAILADMIN_BASE_URL fails
loudly rather than running on a default.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default=None)
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment.")
if "DATABASE_URL" not in env.ENVIRON:
    raise ImproperlyConfigured("DATABASE_URL must be set in the environment.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in the environment.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The links in e-mails sent from the admin (workflow, notifications) start with it.
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default="")
if not WAGTAILADMIN_BASE_URL:
    raise ImproperlyConfigured("WAGTAILADMIN_BASE_URL must be set in the environment.")

TASKS["default"]["BACKEND"] = {  # noqa: F405
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}[env("TASKS_BACKEND", default="database")]
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Asking browsers to preload the domain as HTTPS-only is hard to undo (months to leave
# the list): an operator's choice, off by default. Check security.W021 only says that
# the site cannot be preloaded, which is then what was chosen.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
}
