"""Issue 9, item 15: Django's limit of 1,000 form fields holds everywhere again; only
the import's preview and mapping forms, posted by an editor, may carry more."""

from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from cobioe_cms.onboarding.middleware import IMPORT_MAX_FIELDS
from cobioe_cms.onboarding.models import ActorImport
from cobioe_cms.watch.models import ItemFeedback
from tests.factories import MemberFactory, UserFactory, WatchItemFactory

from .import_files import csv_bytes, start_import

ROWS = 1_200  # one decision field per row: past Django's 1,000


def many_fields(count: int) -> dict[str, str]:
    return {f"field{n}": "x" for n in range(count)}


def browser(user=None) -> tuple[Client, str]:
    """A client that checks CSRF as the site does in production (the CSRF check reads
    the form before any view), and its token, from a first visit."""
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    client.get("/")  # the language switch's form sets the CSRF cookie
    return client, client.cookies["csrftoken"].value


def post_form(client, url: str, data: dict):
    """As a browser posts the preview and mapping forms: URL-encoded (no file field)."""
    return client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")


@pytest.fixture
def large_import(editor_client, cartography) -> ActorImport:
    rows = [["Name", "Country", "City"]] + [
        [f"Bioprocess Lab {n}", "France", "Lyon"] for n in range(ROWS)
    ]
    return start_import(editor_client, csv_bytes(rows), name="large.csv")


def test_the_global_limit_is_djangos_default():
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == 1000


def test_an_editor_posts_a_preview_of_more_than_1000_decisions(editor, large_import):
    from cobioe_cms.onboarding.analysis import SKIP

    client, token = browser(editor)  # the CSRF check reads the large form too
    decisions = {f"row-{i}": SKIP for i in range(ROWS)}
    response = post_form(
        client,
        reverse("cobioe_actor_import:preview", args=[large_import.pk]),
        {"csrfmiddlewaretoken": token, **decisions, "show": "all", "action": "save"},
    )

    assert response.status_code == 302, response.content[:500]
    large_import.refresh_from_db()
    assert len(large_import.decisions) == ROWS
    assert set(large_import.decisions.values()) == {SKIP}


def test_the_import_limit_still_has_an_end(editor_client, large_import):
    response = post_form(
        editor_client,
        reverse("cobioe_actor_import:preview", args=[large_import.pk]),
        many_fields(IMPORT_MAX_FIELDS + 1),
    )
    assert response.status_code == 400
    large_import.refresh_from_db()
    assert large_import.decisions == {}


def test_2000_fields_anywhere_else_are_a_400_not_a_500(client, cartography):
    member = MemberFactory(username="marie", email="marie@example.org")
    item = WatchItemFactory(title="A new plant")
    flood = many_fields(2_000)

    anonymous = post_form(client, reverse("account_login"), {**flood, "login": "x@example.org"})
    multipart = client.post(reverse("account_login"), flood)
    member_browser, token = browser(member)
    signed_in = post_form(
        member_browser,
        reverse("watch:not_relevant", args=[item.pk]),
        {"csrfmiddlewaretoken": token, **flood},
    )
    on_a_page = client.get("/cartography/", flood)

    assert anonymous.status_code == 400
    assert multipart.status_code == 400
    assert signed_in.status_code == 400
    assert on_a_page.status_code == 400
    assert not ItemFeedback.objects.filter(user=member).exists()


def test_the_import_forms_keep_djangos_limit_for_everyone_else(large_import):
    for user in (UserFactory(username="visitor"), None):  # signed in but not an editor; anonymous
        client, token = browser(user)
        for name in ("preview", "mapping"):
            response = post_form(
                client,
                reverse(f"cobioe_actor_import:{name}", args=[large_import.pk]),
                {"csrfmiddlewaretoken": token, **many_fields(2_000)},
            )
            assert response.status_code == 400, (user, name)
