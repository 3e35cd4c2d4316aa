"""Fixtures shared by the editors' tools tests (import, duplicate finder)."""

import pytest

from .import_files import make_user


@pytest.fixture
def editor(db):
    return make_user("editor", groups=["Editors"])


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
