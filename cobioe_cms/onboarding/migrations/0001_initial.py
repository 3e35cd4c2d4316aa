"""ActorImport, moved from cobioe_actors (its migrations 0004, 0005 and 0008): created in
the state only, on the table it already has (``cobioe_actors_actorimport``, rows kept).

Its content type is renamed to this app's, so that the permissions of actors' migration
0005 (add/change/view for the "Editors" and "Moderators" groups), those granted by hand
and the history that points to the content type follow the model.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODEL = "actorimport"


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    old = ContentType.objects.using(db).filter(app_label="cobioe_actors", model=MODEL).first()
    if old is None:
        return
    new = ContentType.objects.using(db).filter(app_label="cobioe_onboarding", model=MODEL).first()
    if new is None:
        old.app_label = "cobioe_onboarding"
        old.save(update_fields=["app_label"])
        return
    # Both exist (the new one made by an earlier run): the old permissions' holders get
    # the new ones, then the old content type goes with its permissions.
    for permission in Permission.objects.using(db).filter(content_type=old):
        moved, _ = Permission.objects.using(db).get_or_create(
            content_type=new, codename=permission.codename, defaults={"name": permission.name}
        )
        moved.group_set.add(*permission.group_set.all())
        moved.user_set.add(*permission.user_set.all())
    old.delete()


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label="cobioe_actors", model=MODEL).exists():
        ContentType.objects.using(db).filter(app_label="cobioe_onboarding", model=MODEL).update(
            app_label="cobioe_actors"
        )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("cobioe_actors", "0008_actorimport_to_onboarding"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ActorImport",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                        ("applied_at", models.DateTimeField(blank=True, null=True, verbose_name="applied at")),
                        ("file_name", models.CharField(max_length=255, verbose_name="file name")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("preview", "preview"),
                                    ("applying", "being applied"),
                                    ("applied", "applied"),
                                    ("cancelled", "cancelled"),
                                ],
                                default="preview",
                                max_length=10,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "publish",
                            models.BooleanField(
                                default=False,
                                help_text="Otherwise new profiles are saved as drafts for review.",
                                verbose_name="publish imported profiles",
                            ),
                        ),
                        (
                            "default_country",
                            models.CharField(blank=True, max_length=2, verbose_name="country of rows without one"),
                        ),
                        ("headers", models.JSONField(default=list)),
                        ("rows", models.JSONField(default=list)),
                        ("mapping", models.JSONField(default=dict)),
                        ("analysis", models.JSONField(default=list)),
                        ("decisions", models.JSONField(default=dict)),
                        ("report", models.JSONField(default=dict)),
                        (
                            "cartography",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="cobioe_actors.cartographypage",
                                verbose_name="cartography",
                            ),
                        ),
                        (
                            "uploaded_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="uploaded by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "organisation import",
                        "verbose_name_plural": "organisation imports",
                        "ordering": ["-created_at", "-pk"],
                        "db_table": "cobioe_actors_actorimport",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, restore_content_type),
    ]
