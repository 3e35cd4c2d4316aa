"""The preview of an import: every row cleaned and compared, a decision proposed for
each, and the check of the decisions an editor posts back.

The analysis is computed once, when the mapping is confirmed, and stored on the
:class:`~cobioe_cms.actors.models.ActorImport` (2,000 rows against 10,000 actors take
a second or two: not something to redo on every page of the preview).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from cobioe_cms.actors.duplicates.finder import DuplicateIndex, Entity, WordWeights
from cobioe_cms.actors.duplicates.profiles import existing_entities

from .mapping import Mapping, row_values
from .validation import Vocabulary, clean_row

CREATE, SKIP, MERGE = "create", "skip", "merge"
MAX_CANDIDATES = 3


def analyse_rows(rows: list[dict], mapping: Mapping, default_country: str = "") -> list[dict]:
    """One entry per row: its cleaned values, errors, warnings and duplicate candidates
    (existing actors, and the earliest similar valid row of the same file)."""
    vocabulary = Vocabulary()
    entries = []
    for row in rows:
        cleaned = clean_row(row_values(row["cells"], mapping), vocabulary, default_country)
        errors = ([row["problem"]] if row.get("problem") else []) + cleaned.errors
        entries.append(
            {
                "line": row["line"],
                "name": cleaned.values.get("title", ""),
                "values": cleaned.values,
                "errors": errors,
                "warnings": cleaned.warnings,
                "candidates": [],
                "same_as": None,
            }
        )
    actors = existing_entities()
    row_entities = {
        index: Entity(
            index, e["name"], *(e["values"].get(k, "") for k in ("website", "city", "country"))
        )
        for index, e in enumerate(entries)
        if not e["errors"]
    }
    weights = WordWeights(e.tokens for e in [*actors, *row_entities.values()])
    actor_index = DuplicateIndex(actors, weights)
    earlier_rows = DuplicateIndex(weights=weights)
    for index, entity in row_entities.items():
        entry = entries[index]
        entry["candidates"] = [
            {"id": m.key, "title": m.title, "score": m.score, "reasons": m.reasons}
            for m in actor_index.matches(entity, limit=MAX_CANDIDATES)
        ]
        same = earlier_rows.matches(entity, limit=1)
        if same:
            entry["same_as"] = same[0].key
            entry["same_as_line"] = entries[same[0].key]["line"]
            entry["same_as_reasons"] = same[0].reasons
        earlier_rows.add(entity)
    return entries


def default_decision(entry: dict) -> str:
    """Invalid rows are skipped; a likely duplicate is merged into its best candidate;
    a row like an earlier one of the file is skipped; anything else is created."""
    if entry["errors"]:
        return SKIP
    if entry["candidates"]:
        return f"{MERGE}:{entry['candidates'][0]['id']}"
    if entry["same_as"] is not None:
        return SKIP
    return CREATE


def allowed_decisions(entry: dict) -> list[str]:
    if entry["errors"]:
        return [SKIP]
    return [CREATE, *(f"{MERGE}:{c['id']}" for c in entry["candidates"]), SKIP]


def decision_of(entries: list[dict], decisions: dict[str, str], index: int) -> str:
    """The decision that applies to a row: the stored one if still allowed."""
    entry = entries[index]
    decision = decisions.get(str(index)) or default_decision(entry)
    return decision if decision in allowed_decisions(entry) else default_decision(entry)


def decision_choices(entry: dict) -> list[tuple[str, str]]:
    labels = {CREATE: _("Create a new profile"), SKIP: _("Skip")}
    for candidate in entry["candidates"]:
        labels[f"{MERGE}:{candidate['id']}"] = _("Merge into “%(title)s” (%(score)d)") % {
            "title": candidate["title"],
            "score": candidate["score"],
        }
    if entry["errors"]:
        return [(SKIP, _("Skip (invalid row)"))]
    return [(value, labels[value]) for value in allowed_decisions(entry)]


def parse_decisions(post, entries: list[dict]) -> tuple[dict[str, str], list[str]]:
    """The ``row-<index>`` decisions of a posted preview form, checked against what the
    preview offered; any forged value rejects the whole post."""
    decisions: dict[str, str] = {}
    for name in post:
        if not name.startswith("row-"):
            continue
        raw_index = name.removeprefix("row-")
        if not raw_index.isdigit() or int(raw_index) >= len(entries):
            return {}, [_("The form refers to a row that does not exist; nothing was saved.")]
        index = int(raw_index)
        value = post.get(name, "")
        if value not in allowed_decisions(entries[index]):
            return {}, [
                _("Row %(line)d: “%(value)s” is not one of the choices offered; nothing was saved.")
                % {"line": entries[index]["line"], "value": value[:40]}
            ]
        decisions[str(index)] = value
    return decisions, []


def counts(entries: list[dict], decisions: dict[str, str]) -> dict[str, int]:
    """How many rows the import would create, merge, skip, and how many are invalid."""
    result = {"rows": len(entries), "invalid": 0, CREATE: 0, MERGE: 0, SKIP: 0, "duplicates": 0}
    for index, entry in enumerate(entries):
        if entry["errors"]:
            result["invalid"] += 1
            continue
        result["duplicates"] += bool(entry["candidates"] or entry["same_as"] is not None)
        result[decision_of(entries, decisions, index).split(":")[0]] += 1
    return result
