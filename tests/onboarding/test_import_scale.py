"""The import at the size the issue names: 2,000 rows, 10 % near-duplicates of existing
actors, 5 % invalid rows. The report is exact, and cancelling writes nothing.
(Timings are measured by tests/perf/bench_import.py, not here.)"""

import random

import pytest
from django.urls import reverse
from wagtail.models import Revision

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.onboarding.analysis import counts
from cobioe_cms.onboarding.models import ActorImport
from tests.factories import UserFactory

from .import_files import csv_bytes, existing_actors, start_import
from .import_files.generate import PLACES, fresh_names, scenario

SEED = 1


@pytest.mark.django_db
def test_two_thousand_rows_with_duplicates_and_invalid_rows(client, cartography):
    client.force_login(UserFactory(username="editor", groups=["Editors"]))
    rnd = random.Random(SEED)
    existing = existing_actors(
        cartography,
        [{"title": name, "city": rnd.choice(PLACES)[0]} for name in fresh_names(1000, [], SEED)],
    )
    header, rows, expected, targets = scenario(
        [(a.title, a.city, "FR") for a in existing], seed=SEED
    )
    assert expected == {"created": 1700, "merged": 200, "skipped": 0, "invalid": 100}
    content = csv_bytes([header, *rows], delimiter=";", encoding="cp1252")
    pages, revisions = ActorPage.objects.count(), Revision.objects.count()

    # The editor looks at the preview, then cancels: nothing is written.
    cancelled = start_import(client, content, "cluster.csv")
    assert counts(cancelled.analysis, cancelled.decisions) == {
        "rows": 2000,
        "invalid": 100,
        "create": 1700,
        "merge": 200,
        "skip": 0,
        "duplicates": 200,
    }
    client.post(reverse("cobioe_actor_import:cancel", args=[cancelled.pk]))
    assert ActorPage.objects.count() == pages
    assert Revision.objects.count() == revisions

    # Again, and this time applies the proposed decisions.
    record = start_import(client, content, "cluster.csv")
    response = client.post(
        reverse("cobioe_actor_import:preview", args=[record.pk]), {"action": "apply"}
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == ActorImport.Status.APPLIED
    assert record.report["counts"] == expected
    outcomes = record.report["rows"]
    assert len(outcomes) == 2000
    assert ActorPage.objects.count() == pages + 1700
    merged_ids = {row["actor"] for row in outcomes if row["outcome"] == "merged"}
    assert set(ActorPage.objects.filter(pk__in=merged_ids).values_list("title", flat=True)) == (
        targets
    )
    invalid = [row for row in outcomes if row["outcome"] == "invalid"]
    assert {row["note"].split(" ")[0] for row in invalid} >= {"The", "Country", "E-mail"}
    # Every new profile has its revision; merged ones one more each, if they got data.
    filled = [row for row in outcomes if row["outcome"] == "merged" and "filled" in row["note"]]
    assert 100 < len(filled) < 200
    assert Revision.objects.count() == revisions + 1700 + len(filled)
    cartography.refresh_from_db()
    assert cartography.get_children().count() == 1000 + 1700
    assert ActorImport.objects.get(pk=cancelled.pk).status == ActorImport.Status.CANCELLED
