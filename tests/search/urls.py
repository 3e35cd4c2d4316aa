"""URLconf of the health-view tests: the app's URLs where the site will include them."""

from django.urls import include, path

urlpatterns = [path("search/", include("cobioe_cms.search.urls"))]
