#!/usr/bin/env bash
# The extension as another site uses it: builds the wheel (and fails if a file of
# cobioe_cms/ is missing from it), installs it into a fresh virtual environment, makes a
# site with `wagtail start`, applies the README's recipe (the files of docs/recipe/,
# verbatim) for the cartography alone, then in a second site for the whole platform;
# migrates, checks, loads taxonomies and a few demo actors under the site's own home
# page, and fetches the pages and admin screens (.ci/extension_fetch.py): all 200.
# Run by .ci/run; runs alone too (needs git, python3 with venv, and PyPI or a pip cache).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
PYTHON=${PYTHON:-python3}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export PIP_DISABLE_PIP_VERSION_CHECK=1

say() { printf -- '--- %s\n' "$*"; }

say "A fresh virtual environment; the wheel, built there from a copy of the working tree"
"$PYTHON" -m venv "$WORK/venv"
VENV_PYTHON=$WORK/venv/bin/python
mkdir "$WORK/src"
# A copy: setuptools' build/ directory would keep files a previous build saw.
git ls-files -z --cached --others --exclude-standard | "$PYTHON" -c '
import os, shutil, sys
for name in sys.stdin.read().split("\0"):
    if name and os.path.isfile(name):  # a file deleted but not yet committed is left out
        os.makedirs(os.path.join(sys.argv[1], os.path.dirname(name)), exist_ok=True)
        shutil.copy2(name, os.path.join(sys.argv[1], name))
' "$WORK/src"
if ! "$VENV_PYTHON" -m pip wheel --no-deps --quiet -w "$WORK/dist" "$WORK/src" >"$WORK/build.log" 2>&1; then
    cat "$WORK/build.log"
    exit 1
fi
WHEEL=$(ls "$WORK"/dist/cobioe_cms-*.whl)
"$VENV_PYTHON" .ci/check_wheel.py "$WHEEL"

say "The wheel installed (its dependencies from PyPI)"
"$VENV_PYTHON" -m pip install --quiet "$WHEEL"

export DJANGO_SUPERUSER_PASSWORD="recipe-$RANDOM-password"
export RECIPE_ADMIN=admin

# new_site DIR SETTINGS_SNIPPET URL_SNIPPET...: `wagtail start othersite` in DIR, then
# the recipe: the snippets appended to its settings/base.py and urls.py, as they are.
new_site() {
    local dir=$1 settings=$2
    shift 2
    mkdir "$dir"
    (cd "$dir" && "$WORK/venv/bin/wagtail" start othersite)
    cat "$REPO/docs/recipe/$settings" >>"$dir/othersite/othersite/settings/base.py"
    for urls in "$@"; do
        cat "$REPO/docs/recipe/$urls" >>"$dir/othersite/othersite/urls.py"
    done
}

manage() { "$VENV_PYTHON" manage.py "$@"; }

# Migrations, checks, the demo and the fetches, in the current site.
exercise_site() {
    manage migrate --noinput -v0
    manage check --fail-level WARNING
    manage makemigrations --check --dry-run -v0  # none wanted in site-packages
    manage collectstatic --noinput -v0  # every static file the templates name is shipped
    manage load_taxonomies
    manage load_demo --actors 5 --seed 1
    manage createsuperuser --noinput --username "$RECIPE_ADMIN" --email admin@example.org
}

say "The cartography alone (docs/recipe/cartography_settings.py, docs/recipe/urls.py)"
new_site "$WORK/cartography" cartography_settings.py urls.py
cd "$WORK/cartography/othersite"
exercise_site
manage shell --no-imports -c "$(cat "$REPO/.ci/extension_fetch.py")"

say "The whole platform (docs/recipe/platform_settings.py, urls.py, platform_urls.py)"
new_site "$WORK/platform" platform_settings.py urls.py platform_urls.py
cd "$WORK/platform/othersite"
exercise_site
manage load_demo_members
manage load_demo_news --count 3 --seed 1
manage load_demo_watch
manage shell --no-imports -c "$(cat "$REPO/.ci/extension_fetch.py")"

say "The extension works in a fresh Wagtail site: cartography alone, whole platform (${SECONDS}s)"
