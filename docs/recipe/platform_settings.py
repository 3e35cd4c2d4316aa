# COBIOE, the whole platform: appended to the settings/base.py of a site made by
# `wagtail start` (.ci/extension_recipe.sh applies this file as it is). The extension's
# apps come first: cobioe_cms.members' templates restyle allauth's pages.
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
    *INSTALLED_APPS,
    "wagtail.contrib.routable_page",
    "wagtail_modeladmin",
    "django_countries",
    "django.contrib.humanize",
    # Members' accounts: sign-up, e-mail verification, rate limits, two factors.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Background tasks (digests, imports, indexing).
    "django_tasks",
    "django_tasks_db",
    # The working groups' discussions: replies are django-comments-xtd comments.
    "django.contrib.sites",
    "django_comments_xtd",
    "django_comments",
    # The panorama's open data: the API (Django REST framework, its OpenAPI schema) and
    # sitemap.xml.
    "rest_framework",
    "drf_spectacular",
    "django.contrib.sitemaps",
]
MIDDLEWARE += [
    "allauth.account.middleware.AccountMiddleware",
    "cobioe_cms.members.auth.StaffMFAMiddleware",
]

# One login for everyone, allauth's (see also docs/recipe/platform_urls.py).
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "cobioe_cms.members.forms.SignupForm"  # the consent to the policy
ACCOUNT_ADAPTER = "cobioe_cms.members.adapter.AccountAdapter"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "members:dashboard"
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
# An approved profile publishes the revision the editor reviewed, not a newer one.
WAGTAIL_FINISH_WORKFLOW_ACTION = "cobioe_cms.members.review.publish_reviewed_revision"

# Tasks run in the request; in production, queue them with
# "django_tasks_db.DatabaseBackend" and run `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# In production, rate limits and lockouts hold for the site only with a cache every
# worker shares (CACHES: Redis, or Django's database cache).

# The working groups' discussions (cobioe_cms.community): replies are the community's
# Reply model, threaded four levels deep, posted by signed-in members only.
SITE_ID = 1
COMMENTS_APP = "django_comments_xtd"
COMMENTS_XTD_MODEL = "cobioe_cms.community.models.Reply"
COMMENTS_XTD_FORM_CLASS = "cobioe_cms.community.forms.ReplyForm"
COMMENTS_XTD_MAX_THREAD_LEVEL = 3
COMMENTS_XTD_CONFIRM_EMAIL = False

# The open-data API's schema (cobioe_cms.panorama): drf-spectacular describes the views.
REST_FRAMEWORK = {"DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema"}
