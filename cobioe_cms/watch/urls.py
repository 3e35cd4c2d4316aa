from django.urls import path

from . import views

app_name = "watch"

urlpatterns = [
    path("", views.feed, name="feed"),
    path("interests/", views.interests, name="interests"),
    path("follow/<int:pk>/", views.follow, name="follow"),
    path("items/<int:pk>/not-relevant/", views.not_relevant, name="not_relevant"),
    path("searches/save/", views.save_search, name="save_search"),
    path("searches/<int:pk>/delete/", views.delete_search, name="delete_search"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
