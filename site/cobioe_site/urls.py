"""URLs of the reference site: the Wagtail admin, the COBIOE extension, then pages."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cobioe_cms import urls as cobioe_urls
from cobioe_cms.members import auth as member_auth

urlpatterns = [
    # One login for everyone, allauth's (rate limits, verification, two-factor): Wagtail's
    # login and password-reset pages redirect to allauth's, before Wagtail's own URLs.
    path("admin/login/", member_auth.to_account_login, {"default_next": "wagtailadmin_home"}),
    re_path(r"^admin/password_reset/", member_auth.to_password_reset),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    # The open-data API and files, sitemap.xml, robots.txt: once, in no language.
    path("", include("cobioe_cms.urls_neutral")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Members' pages, the watch and the Wagtail pages exist in every language: English at
# /..., French at /fr/...
urlpatterns += i18n_patterns(
    path("", include(cobioe_urls)),
    # Wagtail's front-end login (private pages) is allauth's too.
    path("_util/login/", member_auth.to_account_login),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
