"""The open-data API, ``/api/v1/`` (owned by the API's helper: routes added there)."""

urlpatterns: list = []
