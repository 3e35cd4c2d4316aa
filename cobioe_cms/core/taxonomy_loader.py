"""Seeds the taxonomies from a JSON file (by default the shipped ``fixtures/taxonomies.json``)."""

import json
from pathlib import Path

from django.db import transaction

from .models import TAXONOMIES, SearchSynonym, ValueChainStage

# The taxonomies and synonym groups the extension ships (package data).
TAXONOMIES_FILE = Path(__file__).resolve().parent / "fixtures" / "taxonomies.json"


@transaction.atomic
def load_taxonomies(path: Path = TAXONOMIES_FILE) -> dict[str, int]:
    """Create the terms that do not exist yet; returns how many were created per list.

    Existing terms are left alone, so that labels editors have reworded survive a reload;
    so are existing search synonym groups (key ``synonyms``), found by name.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    created: dict[str, int] = {}
    for key, model in TAXONOMIES.items():
        created[key] = 0
        for order, entry in enumerate(data.get(key, [])):
            defaults = {
                "name": entry["name"],
                "name_fr": entry.get("name_fr", ""),
                "sort_order": order,
            }
            if model is ValueChainStage and entry.get("parent"):
                defaults["parent"] = ValueChainStage.objects.get(slug=entry["parent"])
            _term, was_created = model.objects.get_or_create(slug=entry["slug"], defaults=defaults)
            created[key] += int(was_created)
    created["synonyms"] = 0
    for entry in data.get("synonyms", []):
        _group, was_created = SearchSynonym.objects.get_or_create(
            name=entry["name"],
            defaults={
                "expressions": "\n".join(entry["expressions"]),
                "one_way": entry.get("one_way", False),
            },
        )
        created["synonyms"] += int(was_created)
    return created
