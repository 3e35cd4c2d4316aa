"""COBIOE editors (Wagtail's "Editors" and "Moderators" groups) record the coverage
estimates (add/change/delete/view) the panorama measures the map against."""

from django.db import migrations

ACTIONS = ("add", "change", "delete", "view")
GROUPS = ("Editors", "Moderators")


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="cobioe_panorama", model="coverageestimate"
    )
    return [
        Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_coverageestimate",
            defaults={"name": f"Can {action} coverage estimate"},
        )[0]
        for action in ACTIONS
    ]


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
        ("cobioe_panorama", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
        ("auth", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
