"""Fails when a file of the extension is missing from its built wheel.

    python .ci/check_wheel.py dist/cobioe_cms-0.1.0-py3-none-any.whl

Every file under ``cobioe_cms/`` in the working tree (tracked or not, unless git ignores
it), plus the compiled translations (``*.mo``, even if ignored), must be in the wheel:
templates, static files, translations and fixtures are package data
(``[tool.setuptools.package-data]`` in pyproject.toml), and a module in a directory
without ``__init__.py`` would be left out too. Prints what is missing; exits 1 if
anything is.
"""

import subprocess
import sys
import zipfile
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
PACKAGE = "cobioe_cms"


def expected_files() -> set[str]:
    listed = subprocess.run(  # noqa: S603 -- fixed arguments
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", PACKAGE],  # noqa: S607
        cwd=REPO_DIR,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split("\0")
    compiled = (str(p.relative_to(REPO_DIR)) for p in (REPO_DIR / PACKAGE).rglob("*.mo"))
    return {
        name
        for name in (*listed, *compiled)
        if name
        and (REPO_DIR / name).is_file()  # not deleted from the working tree
        and "__pycache__" not in name.split("/")
        and not name.endswith(".pyc")
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        sys.stderr.write(f"usage: {argv[0]} WHEEL\n")
        return 2
    with zipfile.ZipFile(argv[1]) as wheel:
        shipped = set(wheel.namelist())
    expected = expected_files()
    missing = sorted(expected - shipped)
    if missing:
        sys.stdout.write(f"{len(missing)} file(s) of {PACKAGE}/ missing from {argv[1]}:\n")
        sys.stdout.writelines(f"  {name}\n" for name in missing)
        return 1
    data = sum(1 for name in expected if not name.endswith(".py"))
    sys.stdout.write(f"Wheel complete: {len(expected)} files of {PACKAGE}/ ({data} not Python).\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
