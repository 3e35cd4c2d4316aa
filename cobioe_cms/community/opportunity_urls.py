"""URL patterns included by ``community/urls.py`` (same ``community`` namespace): a
representative's opportunities (the public board is the board page's own routes)."""

from django.urls import path

from . import opportunity_views as views

urlpatterns = [
    path("opportunities/mine/", views.my_opportunities, name="my_opportunities"),
    path("opportunities/new/", views.new_opportunity, name="new_opportunity"),
    path("opportunities/<id:pk>/edit/", views.edit_opportunity, name="edit_opportunity"),
    path("opportunities/<id:pk>/submit/", views.submit_opportunity, name="submit_opportunity"),
    path(
        "opportunities/<id:pk>/withdraw/",
        views.withdraw_opportunity,
        name="withdraw_opportunity",
    ),
    path("opportunities/<id:pk>/close/", views.close_opportunity, name="close_opportunity"),
    path("opportunities/<id:pk>/reopen/", views.reopen_opportunity, name="reopen_opportunity"),
    path("opportunities/<id:pk>/renew/", views.renew_opportunity, name="renew_opportunity"),
]
