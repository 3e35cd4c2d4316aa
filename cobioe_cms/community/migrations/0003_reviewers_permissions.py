"""Editors and moderators review group proposals and manage group memberships."""

from django.db import migrations

MODELS = ("groupproposal", "groupmembership", "groupinvitation")
ACTIONS = ("add", "change", "delete", "view")


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    groups = list(Group.objects.filter(name__in=["Editors", "Moderators"]))
    for model in MODELS:
        content_type, _ = ContentType.objects.get_or_create(
            app_label="cobioe_community", model=model
        )
        for action in ACTIONS:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {model}"},
            )
            for group in groups:
                group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(
        name__in=["Editors", "Moderators"]
    ):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="cobioe_community")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cobioe_community", "0002_group_proposals"),
        ("wagtailcore", "0002_initial_data"),
        ("auth", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
