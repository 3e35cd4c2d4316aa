"""``manage.py build_open_data``: write the bulk open-data files now."""

from django.core.management.base import BaseCommand

from cobioe_cms.panorama import opendata


class Command(BaseCommand):
    help = (
        "Write the open-data files of all published actors (CSV, JSON, GeoJSON) and "
        "their description, at once (the site also rebuilds them in the background)."
    )

    def handle(self, *args, **options):
        descriptor = opendata.build()
        sizes = ", ".join(
            f"{resource['path']} {resource['bytes']:,} bytes"
            for resource in descriptor["resources"]
        )
        self.stdout.write(f"{descriptor['count']} actors written to {opendata.root()} ({sizes}).")
