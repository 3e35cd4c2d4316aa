"""COBIOE editors (Wagtail's "Editors" and "Moderators" groups) manage the watch
sources (add/change/delete/view) and see the ingested items (view only: ingestion
writes them)."""

from django.db import migrations

GRANTS = {
    "source": ("add", "change", "delete", "view"),
    "watchitem": ("view",),
}
GROUPS = ("Editors", "Moderators")
NAMES = {"source": "watch source", "watchitem": "watch item"}


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    permissions = []
    for model, actions in GRANTS.items():
        content_type, _ = ContentType.objects.get_or_create(app_label="cobioe_watch", model=model)
        for action in actions:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {NAMES[model]}"},
            )
            permissions.append(permission)
    return permissions


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = _permissions(apps)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = _permissions(apps)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("cobioe_watch", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
        ("auth", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
