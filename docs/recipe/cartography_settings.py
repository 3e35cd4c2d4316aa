# COBIOE, the cartography alone: appended to the settings/base.py of a site made by
# `wagtail start` (.ci/extension_recipe.sh applies this file as it is).
INSTALLED_APPS = [
    "cobioe_cms.core",
    "cobioe_cms.actors",
    "cobioe_cms.demo",  # manage.py load_demo: the pages, the consortium, demo content
    *INSTALLED_APPS,
    "wagtail.contrib.routable_page",  # the cartography's map data and exports
    "wagtail_modeladmin",  # the admin's listings of profiles and vocabularies
    "django_countries",  # country names in every language
    "django.contrib.humanize",
]
