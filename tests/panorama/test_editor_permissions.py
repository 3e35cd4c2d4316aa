"""Editors record the coverage estimates in the admin (issue 14): the Editors group has
the permissions (data migration 0002), so an editor who is not a superuser can list and
add estimates, and a member without the group cannot."""

import pytest
from django.contrib.auth.models import Group

from cobioe_cms.panorama.models import CoverageEstimate
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_editors_have_the_coverage_permissions():
    editors = Group.objects.get(name="Editors")
    codenames = set(editors.permissions.values_list("codename", flat=True))
    for action in ("add", "change", "delete", "view"):
        assert f"{action}_coverageestimate" in codenames


def test_an_editor_adds_an_estimate_and_a_member_cannot(client):
    editor = MemberFactory(username="edith", email="edith@cobioe.eu", groups=["Editors"])
    assert not editor.is_superuser
    client.force_login(editor)
    listing = client.get("/admin/snippets/cobioe_panorama/coverageestimate/")
    assert listing.status_code == 200
    response = client.post(
        "/admin/snippets/cobioe_panorama/coverageestimate/add/",
        {"country": "FR", "value": "120", "year": "2026", "source": "France Biotech census"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CoverageEstimate.objects.get(country="FR").value == 120

    member = MemberFactory(username="marc", email="marc@example.org")
    client.force_login(member)
    refused = client.get("/admin/snippets/cobioe_panorama/coverageestimate/add/")
    assert refused.status_code in (302, 403)
    assert CoverageEstimate.objects.count() == 1
