"""Settings of the test suite: fast hashing, local-memory cache and e-mail."""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-secret"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = str(REPO_DIR / ".test-media")  # noqa: F405
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Tests index on purpose where they need it.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False}
}
# The suite talks to a search cluster only where a test points it at one
# (``search_cluster`` fixture), whatever COBIOE_SEARCH_URL the shell has.
COBIOE_SEARCH = {**COBIOE_SEARCH, "URL": ""}  # noqa: F405
# The watch tests serve their feeds from 127.0.0.1 (the guard's own tests turn this off).
COBIOE_WATCH_ALLOW_PRIVATE_SOURCES = True
