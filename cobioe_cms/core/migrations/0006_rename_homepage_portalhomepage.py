# The home page model is renamed so that it no longer clashes with the ``home.HomePage``
# of every ``wagtail start`` project (same reverse accessor ``page.homepage``).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cobioe_core", "0005_search_synonyms"),
    ]

    operations = [
        migrations.RenameModel(old_name="HomePage", new_name="PortalHomePage"),
    ]
