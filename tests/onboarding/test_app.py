"""onboarding is its own app, above actors and core: no other app imports it, and it
works without members (its part in the account export is registered only when members
is installed)."""

import ast
from pathlib import Path

from django.apps import apps

import cobioe_cms

ROOT = Path(cobioe_cms.__file__).parent


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_no_other_app_imports_onboarding():
    users = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if not path.is_relative_to(ROOT / "onboarding")
        and any(m.split(".")[:2] == ["cobioe_cms", "onboarding"] for m in imported_modules(path))
    ]
    assert users == []


def test_onboarding_imports_only_the_apps_below_it():
    allowed = {"core", "actors", "search"}
    above = {
        (str(path.relative_to(ROOT)), module)
        for path in (ROOT / "onboarding").rglob("*.py")
        for module in imported_modules(path)
        if module.startswith("cobioe_cms.") and module.split(".")[1] not in allowed | {"onboarding"}
    }
    # The one exception, imported inside register() once members is known installed.
    assert above == {("onboarding/personal_data.py", "cobioe_cms.members")}


def test_the_model_keeps_the_table_it_had_in_actors():
    model = apps.get_model("cobioe_onboarding", "ActorImport")
    assert model._meta.db_table == "cobioe_actors_actorimport"
    assert not any(
        m.__name__ == "ActorImport" for m in apps.get_app_config("cobioe_actors").get_models()
    )


def test_editors_hold_the_import_permission_of_the_new_app(editor):
    assert editor.has_perm("cobioe_onboarding.add_actorimport")
