"""URL patterns included by ``community/urls.py`` (same ``community`` namespace)."""

urlpatterns: list = []
