"""Include with ``path("search/", include("cobioe_cms.search.urls"))``."""

from django.urls import path

from . import views

app_name = "cobioe_search"

urlpatterns = [
    path("", views.site_search, name="site_search"),
    path("health/", views.health, name="health"),
]
