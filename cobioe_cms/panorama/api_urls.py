"""The open-data API, ``/api/v1/`` (namespace ``cobioe_api``): the panorama's endpoints,
those other apps registered (:func:`cobioe_cms.core.api.register`), the OpenAPI schema
and its documentation page. Any other path under the prefix is a JSON 404."""

from django.urls import path, re_path

from cobioe_cms.core.api import registered_urls

from .api import docs, statistics_views, views

app_name = "cobioe_api"

urlpatterns = [
    path("", views.RootView.as_view(), name="root"),
    path("actors/", views.ActorListView.as_view(), name="actors"),
    path("actors/<str:actor_id>/", views.ActorDetailView.as_view(), name="actor"),
    path("taxonomies/", views.TaxonomyListView.as_view(), name="taxonomies"),
    path("taxonomies/<str:kind>/", views.TaxonomyDetailView.as_view(), name="taxonomy"),
    path("statistics/", statistics_views.StatisticsView.as_view(), name="statistics"),
    path("statistics/crosstab/", statistics_views.CrosstabView.as_view(), name="crosstab"),
    path("statistics/growth/", statistics_views.GrowthView.as_view(), name="growth"),
    path("coverage/", statistics_views.CoverageView.as_view(), name="coverage"),
    path("news/", views.NewsListView.as_view(), name="news"),
    path("news/<str:news_id>/", views.NewsDetailView.as_view(), name="news_item"),
    *(path(endpoint.route, endpoint.view, name=endpoint.name) for endpoint in registered_urls()),
    path("schema/", docs.SchemaView.as_view(), name="schema"),
    path("docs/", docs.docs_page, name="docs"),
    re_path(r"^.*$", docs.not_found, name="not_found"),
]
