"""COBIOE editors (Wagtail's "Editors" and "Moderators" groups) import organisations
and merge duplicates: they get add/change/view on ActorImport. The admin views check
``cobioe_actors.add_actorimport``."""

from django.db import migrations

ACTIONS = ("add", "change", "view")
GROUPS = ("Editors", "Moderators")


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="cobioe_actors", model="actorimport"
    )
    permissions = [
        Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_actorimport",
            defaults={"name": f"Can {action} organisation import"},
        )[0]
        for action in ACTIONS
    ]
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="cobioe_actors",
        codename__in=[f"{action}_actorimport" for action in ACTIONS],
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("cobioe_actors", "0004_actorimport_merged_into"),
        ("cobioe_core", "0002_editors_manage_taxonomies"),
        ("auth", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
