"""sitemap.xml, robots.txt and the open-data files (routes added by their module)."""

urlpatterns: list = []
