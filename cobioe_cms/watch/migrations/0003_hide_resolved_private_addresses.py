"""Errors recorded before this version named the private address a source's host
resolved to ("refused: intranet.example.org resolves to 10.1.2.3, which is on a
private network"); editors must not learn internal addresses that way. Rewrite them
as ingestion now words them, without the address."""

import re

from django.db import migrations

OLD = re.compile(r"^refused: (\S+) resolves to \S+, which is on a private network.*$", re.S)
NEW = r"refused: \1 resolves to a private or reserved address"


def hide_addresses(apps, schema_editor):
    Source = apps.get_model("cobioe_watch", "Source")
    for source in Source.objects.filter(last_error__contains=", which is on a private network"):
        error = OLD.sub(NEW, source.last_error)
        if error != source.last_error:
            Source.objects.filter(pk=source.pk).update(last_error=error)


class Migration(migrations.Migration):
    dependencies = [
        ("cobioe_watch", "0002_editors_manage_sources"),
    ]

    operations = [
        migrations.RunPython(hide_addresses, migrations.RunPython.noop),
    ]
