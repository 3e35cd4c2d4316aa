"""COBIOE editors (the consortium's communication team) are Wagtail's "Editors" group:
they manage the taxonomies and may publish pages; "Moderators" get the taxonomies too."""

from django.db import migrations

TAXONOMY_MODELS = (
    "valuechainstage",
    "modality",
    "therapeuticarea",
    "organisationtype",
    "service",
    "scale",
    "gmpstatus",
    "expressionsystem",
)
ACTIONS = ("add", "change", "delete", "view")


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    groups = list(Group.objects.filter(name__in=["Editors", "Moderators"]))
    for model in TAXONOMY_MODELS:
        content_type, _ = ContentType.objects.get_or_create(app_label="cobioe_core", model=model)
        for action in ACTIONS:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {model}"},
            )
            for group in groups:
                group.permissions.add(permission)
    editors = next((g for g in groups if g.name == "Editors"), None)
    root = Page.objects.filter(depth=1).first()
    publish = Permission.objects.filter(
        content_type__app_label="wagtailcore", codename="publish_page"
    ).first()
    if editors and root and publish:
        GroupPagePermission.objects.get_or_create(group=editors, page=root, permission=publish)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    taxonomy_permissions = Permission.objects.filter(
        content_type__app_label="cobioe_core", content_type__model__in=TAXONOMY_MODELS
    )
    for group in Group.objects.filter(name__in=["Editors", "Moderators"]):
        group.permissions.remove(*taxonomy_permissions)
    apps.get_model("wagtailcore", "GroupPagePermission").objects.filter(
        group__name="Editors", page__depth=1, permission__codename="publish_page"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cobioe_core", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
        ("wagtailcore", "0090_remove_grouppagepermission_permission_type"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
