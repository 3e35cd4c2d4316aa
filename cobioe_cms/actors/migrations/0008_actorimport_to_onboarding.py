"""ActorImport moved to the app cobioe_onboarding (issue 11): removed from actors' state
only. Its table, ``cobioe_actors_actorimport``, and its rows stay; onboarding's migration
0001 takes the model over with the same table."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cobioe_actors", "0007_search_token_table"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ActorImport")],
            database_operations=[],
        ),
    ]
