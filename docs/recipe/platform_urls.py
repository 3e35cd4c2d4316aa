# COBIOE, the whole platform: appended to the site's urls.py after docs/recipe/urls.py.
# Wagtail's login and password-reset pages send to allauth's (rate limits, verification,
# two factors), ahead of Wagtail's admin URLs.
from django.urls import re_path

from cobioe_cms.members import auth as member_auth

urlpatterns = [
    path("admin/login/", member_auth.to_account_login, {"default_next": "wagtailadmin_home"}),
    re_path(r"^admin/password_reset/", member_auth.to_password_reset),
    *urlpatterns,
]
