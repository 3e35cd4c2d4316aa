"""Settings shared by every environment of the COBIOE reference site.

Safe by default: DEBUG is off and nothing secret lives here. Each value that an
operator may change is read from the environment (see the table in README.md and
``.env.example``).
"""

from pathlib import Path

import environ

PROJECT_DIR = Path(__file__).resolve().parent.parent  # site/cobioe_site
REPO_DIR = PROJECT_DIR.parent.parent  # repository root
THEME_DIR = REPO_DIR / "themes" / "cobioe"

# A ``.env`` file at the repository root (see ``.env.example``), when there is one: its
# values count wherever the environment does not set the variable itself.
if (REPO_DIR / ".env").is_file():
    environ.Env.read_env(REPO_DIR / ".env")

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
    DATABASE_URL=(str, f"sqlite:///{REPO_DIR / 'db.sqlite3'}"),
    MEDIA_ROOT=(str, str(REPO_DIR / "media")),
    STATIC_ROOT=(str, str(REPO_DIR / "static_collected")),
    WAGTAILADMIN_BASE_URL=(str, "http://127.0.0.1:8000"),
    COBIOE_MAP_TILE_URL=(str, ""),
    COBIOE_MAP_TILE_ATTRIBUTION=(str, ""),
    COBIOE_CSP_REPORT_ONLY=(bool, False),
    TASKS_BACKEND=(str, "immediate"),
    COBIOE_SEARCH_URL=(str, ""),
    COBIOE_SEARCH_ENGINE=(str, "opensearch"),
    COBIOE_SEARCH_INDEX_PREFIX=(str, "cobioe"),
    COBIOE_SEARCH_TIMEOUT=(float, 2.0),
    COBIOE_SEARCH_RETRY_AFTER=(float, 30.0),
    COBIOE_WATCH_MATCHER=(str, ""),
    COBIOE_WATCH_PERCOLATE_TIMEOUT=(float, 120.0),
    COBIOE_WATCH_ALLOW_PRIVATE_SOURCES=(bool, False),
    COBIOE_WATCH_FETCH_CONCURRENCY=(int, 4),
    COBIOE_PRIVATE_MEDIA_ROOT=(str, ""),
    REDIS_URL=(str, ""),
    COBIOE_TRUSTED_PROXY_COUNT=(int, 0),
    COBIOE_TRUSTED_CLIENT_IP_HEADER=(str, ""),
    COBIOE_EXPORTS_PER_HOUR=(int, 30),
    COBIOE_MFA_REQUIRED_FOR_STAFF=(bool, False),
    EMAIL_URL=(str, "consolemail://"),
    DEFAULT_FROM_EMAIL=(str, "COBIOE <no-reply@localhost>"),
)

DEBUG = env("DEBUG")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
SECRET_KEY = env("SECRET_KEY", default=None)

INSTALLED_APPS = [
    "cobioe_cms.core",
    "cobioe_cms.actors",
    "cobioe_cms.members",
    "cobioe_cms.onboarding",  # the CSV/XLSX import of organisations, the duplicate finder
    "cobioe_cms.news",
    "cobioe_cms.watch",
    "cobioe_cms.community",  # working groups, memberships, invitations, discussions
    "cobioe_cms.panorama",  # statistics, coverage, factsheets, the open-data API
    "cobioe_cms.search",
    "cobioe_cms.demo",  # manage.py load_demo: the pages, the consortium, demo content
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail_modeladmin",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_countries",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",  # django-comments' comments belong to a site
    "django_comments_xtd",  # the replies of the working groups' discussions
    "django_comments",
    "django.contrib.sitemaps",  # /sitemap.xml (Wagtail's sitemap views, cobioe_cms.panorama)
    "rest_framework",  # the open-data API (/api/v1/, cobioe_cms.panorama)
    "drf_spectacular",  # its OpenAPI 3 schema and documentation page
    "corsheaders",  # other sites' scripts may read the open data (CORS_URLS_REGEX)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cobioe_cms.core.security.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cobioe_cms.onboarding.middleware.ImportFormFieldLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "cobioe_cms.members.auth.StaffMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cobioe_site.urls"
WSGI_APPLICATION = "cobioe_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Every app ships its templates; a file of the same name in the theme wins.
        "DIRS": [THEME_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
# Every app ships its static files; a file of the same path in the theme wins.
STATICFILES_DIRS = [THEME_DIR / "static"]
STATIC_ROOT = env("STATIC_ROOT")
STATIC_URL = "/static/"
MEDIA_ROOT = env("MEDIA_ROOT")
MEDIA_URL = "/media/"
# Files that must never be served (logos of profiles not yet reviewed): outside
# MEDIA_ROOT; empty means MEDIA_ROOT with "-private" appended.
COBIOE_PRIVATE_MEDIA_ROOT = env("COBIOE_PRIVATE_MEDIA_ROOT")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Django's limit of 1,000 form fields holds everywhere but on the import's mapping and
# preview forms (cobioe_cms.onboarding.middleware).

# A cache every worker shares, so that rate limits, lockouts and the search circuit
# breaker hold for the site rather than per process: Redis when REDIS_URL is set
# (django-redis), else a table in the database (created by `manage.py migrate`).
if env("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": env("REDIS_URL"),
            "KEY_PREFIX": "cobioe",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cobioe_cache",
            # Culling (past MAX_ENTRIES) would drop rate-limit counters with the rest.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }
# The client's address, for every rate limit (allauth's and cobioe_cms.core.ratelimit):
# REMOTE_ADDR unless the site runs behind proxies it controls. Then either the number
# of those proxies (the address is read that far from the right of X-Forwarded-For), or
# the name of a header the proxy sets to the client's address (e.g. X-Real-IP).
ALLAUTH_TRUSTED_PROXY_COUNT = env("COBIOE_TRUSTED_PROXY_COUNT")
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("COBIOE_TRUSTED_CLIENT_IP_HEADER") or None

EMAIL_CONFIG = env.email_url("EMAIL_URL")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "cobioe_cms": {"handlers": ["console"], "level": "INFO"},
        "django.request": {"handlers": ["console"], "level": "ERROR"},
    },
}

# Accounts (django-allauth): e-mail login, mandatory e-mail verification. allauth's login
# is the only one: the site's URLs send Wagtail's login and password-reset pages to it
# (cobioe_cms.members.auth), so that its rate limits, lockouts, verification and
# second factor apply to everyone, editors included.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "cobioe_cms.members.forms.SignupForm"
ACCOUNT_ADAPTER = "cobioe_cms.members.adapter.AccountAdapter"
# Keys as allauth spells them (allauth.account.app_settings.RATE_LIMITS): allauth
# ignores a key it does not know without a word (tests/core/test_limits.py checks).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "signup": "10/h/ip",
    "confirm_email": "3/10m/key",
    "reset_password": "5/h/ip,3/h/key",
    "manage_email": "5/h/user",
}
ACCOUNT_PASSWORD_MIN_LENGTH = 10
# Tell people by e-mail when their password or e-mail addresses change.
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Two-factor authentication (allauth.mfa): an authenticator app, and recovery codes.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "COBIOE"
# True: anyone with access to the Wagtail admin must turn on an authenticator app before
# reaching it (cobioe_cms.members.auth.StaffMFAMiddleware).
COBIOE_MFA_REQUIRED_FOR_STAFF = env("COBIOE_MFA_REQUIRED_FOR_STAFF")
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "members:dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
# The version of the privacy policy members consent to at sign-up.
COBIOE_PRIVACY_POLICY_VERSION = env("COBIOE_PRIVACY_POLICY_VERSION", default="2026-11")

# Background tasks (django-tasks): "immediate" runs them in the request (development,
# tests); "database" queues them for `manage.py db_worker` (production).
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[env("TASKS_BACKEND")]
    }
}

# The search cluster (cobioe_cms.search): empty URL = the database answers everything.
# ENGINE "opensearch" (OpenSearch 2.x, verified in CI) or "elasticsearch" (8.x).
COBIOE_SEARCH = {
    "URL": env("COBIOE_SEARCH_URL"),
    "ENGINE": env("COBIOE_SEARCH_ENGINE"),
    "INDEX_PREFIX": env("COBIOE_SEARCH_INDEX_PREFIX"),
    "TIMEOUT": env("COBIOE_SEARCH_TIMEOUT"),
    "RETRY_AFTER": env("COBIOE_SEARCH_RETRY_AFTER"),
}

# Watch matching: empty = the percolator when a cluster is configured, else the database
# (cobioe_cms.watch.matching.get_matcher). Percolating a digest batch is background
# work, so it may take longer than a page's TIMEOUT.
COBIOE_WATCH_MATCHER = env("COBIOE_WATCH_MATCHER")
COBIOE_WATCH_PERCOLATE_TIMEOUT = env("COBIOE_WATCH_PERCOLATE_TIMEOUT")
# Watch sources on localhost or a private network (SSRF guard, cobioe_cms.watch.net).
COBIOE_WATCH_ALLOW_PRIVATE_SOURCES = env("COBIOE_WATCH_ALLOW_PRIVATE_SOURCES")
# How many watch sources are downloaded at once (cobioe_cms.watch.ingest.run).
COBIOE_WATCH_FETCH_CONCURRENCY = env("COBIOE_WATCH_FETCH_CONCURRENCY")

# Wagtail
WAGTAIL_SITE_NAME = "COBIOE"

# Discussions of the working groups (cobioe_cms.community): replies are
# django-comments-xtd comments (the community's Reply model) on a thread, threaded to
# four levels (0-3); no e-mail confirmation (only signed-in members post).
SITE_ID = 1
COMMENTS_APP = "django_comments_xtd"
COMMENTS_XTD_MODEL = "cobioe_cms.community.models.Reply"
COMMENTS_XTD_FORM_CLASS = "cobioe_cms.community.forms.ReplyForm"
COMMENTS_XTD_MAX_THREAD_LEVEL = 3
COMMENTS_XTD_CONFIRM_EMAIL = False
COMMENTS_XTD_APP_MODEL_OPTIONS = {
    "default": {
        "who_can_post": "users",
        "allow_flagging": True,
        "allow_feedback": False,
        "show_feedback": False,
    }
}
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL")
# Signing in, resetting a password and changing one's password or e-mail address happen
# in allauth's pages (rate limits, verification, notifications), not in Wagtail's.
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
WAGTAIL_I18N_ENABLED = False
# An approval publishes the revision the editor reviewed, never a newer one saved while
# the profile waited (cobioe_cms.members.review).
WAGTAIL_FINISH_WORKFLOW_ACTION = "cobioe_cms.members.review.publish_reviewed_revision"
# Wagtail's own search (admin, site search). Without a cluster: the database backend.
# With one: our cluster backend (it answers from the "database" backend whenever the
# cluster faults), and the database backend, kept up to date too so that it can.
if COBIOE_SEARCH["URL"]:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "cobioe_cms.search.wagtail_backend."
            + (
                "Elasticsearch8SearchBackend"
                if COBIOE_SEARCH["ENGINE"].lower() == "elasticsearch"
                else "OpenSearch2SearchBackend"
            ),
            "URLS": [COBIOE_SEARCH["URL"]],
            # Indexes <prefix>-wagtail-wagtailcore_page etc.: the environment's prefix.
            "INDEX_PREFIX": f"{COBIOE_SEARCH['INDEX_PREFIX'].lower()}-wagtail-",
            "TIMEOUT": COBIOE_SEARCH["TIMEOUT"],
            "ATOMIC_REBUILD": True,
            "OPTIONS": {"max_retries": 0, "retry_on_timeout": False},
            "FALLBACK": "database",
        },
        "database": {"BACKEND": "wagtail.search.backends.database"},
    }
else:
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024

# COBIOE: an optional online tile layer under the offline basemap of Europe.
COBIOE_MAP_TILE_URL = env("COBIOE_MAP_TILE_URL")
COBIOE_MAP_TILE_ATTRIBUTION = env("COBIOE_MAP_TILE_ATTRIBUTION")
# Exports of the cartography (CSV, JSON, GeoJSON) per client address and hour.
COBIOE_EXPORTS_PER_HOUR = env("COBIOE_EXPORTS_PER_HOUR")
# Content Security Policy of the public pages (cobioe_cms.core.security); the Wagtail
# admin, which needs inline scripts, is left out.
COBIOE_CSP_REPORT_ONLY = env("COBIOE_CSP_REPORT_ONLY")
COBIOE_CSP_EXEMPT_PATHS = ("/admin/",)

# The open-data API (cobioe_cms.panorama.api): read-only, public, paginated, throttled on
# the shared cache (so the limits hold across workers), documented by drf-spectacular.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # The open data's pagination, rate limits (COBIOE_API_THROTTLE_RATES) and JSON errors
    # are set on its views (cobioe_cms.core.api.ReadOnlyAPIView), not here: Wagtail's own
    # APIs (admin, redirects) use DRF too and keep their defaults.
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "COBIOE open data",
    "DESCRIPTION": "The published actors of Europe's health-bioproduction sector, the "
    "taxonomies that describe them, statistics and coverage, news, public working groups "
    "and current collaboration opportunities. Read-only, no authentication, JSON; errors "
    'are `{"detail": "..."}` (400s add `errors` per parameter); every answer carries an '
    "`ETag` and a `Last-Modified` (send them back for a 304); requests are rate-limited "
    "per client address (429 with `Retry-After`).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "PREPROCESSING_HOOKS": ["cobioe_cms.core.api.only_open_data"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "cobioe_cms.panorama.api.docs.add_value_enums",
    ],
    "COMPONENT_SPLIT_REQUEST": True,
}
# Reading the open data from other sites' scripts: GET only, no credentials.
CORS_URLS_REGEX = r"^/(api/v1|opendata)/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_CREDENTIALS = False
