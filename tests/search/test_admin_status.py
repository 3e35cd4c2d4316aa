"""Settings > Search in the Wagtail admin: who may see it and rebuild, what it says with
no cluster, a dead one and a real node (counts, drift, a rebuild that removes it)."""

import html
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from cobioe_cms.search import indexes
from tests.factories import EditorFactory
from tests.factories.actors import ActorPageFactory

from .conftest import PREFIX

pytestmark = pytest.mark.django_db

ALIAS = f"{PREFIX}-actors"
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def status_url() -> str:
    return reverse("cobioe_search_admin:status")


def rebuild_url() -> str:
    return reverse("cobioe_search_admin:rebuild")


def messages_of(response) -> list[str]:
    """The messages as the user reads them (Wagtail stores them as escaped HTML)."""
    return [html.unescape(str(message)).strip() for message in get_messages(response.wsgi_request)]


def rebuild(client, name="actors"):
    return client.post(rebuild_url(), {"index": name})


def row(response, name="actors"):
    return next(row for row in response.context["rows"] if row.name == name)


@pytest.fixture
def staff_editor(db):
    """Staff, in the Editors group (admin access), not a superuser."""
    return EditorFactory(username="editor", is_staff=True)


@pytest.fixture
def admin_client(client, db):
    client.force_login(User.objects.create_superuser("root", "root@example.org", "pw"))
    return client


@pytest.fixture
def queued(settings):
    """Tasks go to the database queue instead of running: what was enqueued is visible."""
    settings.TASKS = DB_TASKS


# -- permissions ------------------------------------------------------------------------


@pytest.mark.parametrize("method,url", [("get", status_url), ("post", rebuild_url)])
def test_anonymous_users_are_sent_to_the_login(client, closed_port, queued, method, url):
    response = getattr(client, method)(url(), {"index": "actors"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not DBTaskResult.objects.exists()


@pytest.mark.parametrize("method,url", [("get", status_url), ("post", rebuild_url)])
def test_editors_are_turned_away(client, staff_editor, closed_port, queued, method, url):
    client.force_login(staff_editor)
    response = getattr(client, method)(url(), {"index": "actors"})

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert "permission" in " ".join(messages_of(response))
    assert not DBTaskResult.objects.exists()


def test_only_superusers_see_the_menu_item(client, admin_client, staff_editor, no_search):
    assert status_url() in admin_client.get(reverse("wagtailadmin_home")).content.decode()

    client.force_login(staff_editor)
    home = client.get(reverse("wagtailadmin_home"))
    assert home.status_code == 200
    assert status_url() not in home.content.decode()


def test_a_superuser_queues_a_rebuild(admin_client, closed_port, queued):
    response = rebuild(admin_client)

    assert response.status_code == 302
    assert response["Location"] == status_url()
    assert messages_of(response) == [f"Rebuild of {ALIAS} queued."]
    task = DBTaskResult.objects.get()
    assert task.task_path == "cobioe_cms.search.admin_tasks.rebuild_index"
    assert task.args_kwargs["args"] == ["actors"]


@pytest.mark.parametrize("name", ["nope", "", "actors/../news", "ACTORS", "<b>news</b>"])
def test_unknown_index_names_are_refused(admin_client, closed_port, queued, name):
    response = rebuild(admin_client, name)

    assert response.status_code == 302
    assert messages_of(response) == [f"There is no search index named “{name}”."]
    assert not DBTaskResult.objects.exists()


def test_get_on_the_rebuild_url_is_not_allowed(admin_client, no_search):
    assert admin_client.get(rebuild_url(), {"index": "actors"}).status_code == 405


# -- no cluster, dead cluster -----------------------------------------------------------


def test_without_a_cluster_the_page_explains_how_to_configure_one(admin_client, no_search):
    response = admin_client.get(status_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-search-status="not-configured"' in html
    assert "COBIOE_SEARCH_URL" in html
    assert "“Search cluster”" in html
    assert response.context["rows"] is None
    assert "data-index=" not in html


def test_without_a_cluster_nothing_is_queued(admin_client, no_search, queued):
    response = rebuild(admin_client)

    assert messages_of(response) == [
        "No search cluster is configured: there is nothing to rebuild."
    ]
    assert not DBTaskResult.objects.exists()


def test_a_dead_cluster_is_reported_not_raised(admin_client, closed_port):
    response = admin_client.get(status_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-search-status="degraded"' in html
    assert 'data-breaker="open"' in html  # the health check's fault opened it
    assert "did not answer" in html
    assert "127.0.0.1:9" in html
    assert response.context["rows"] is None


def test_a_rebuild_against_a_dead_cluster_reports_the_fault(admin_client, closed_port):
    response = rebuild(admin_client)  # immediate backend: the task already ran

    assert response.status_code == 302
    (message,) = messages_of(response)
    assert message.startswith(f"The rebuild of {ALIAS} failed: the search cluster did not")


def test_a_rebuild_that_crashes_is_reported(admin_client, closed_port, monkeypatch):
    def broken(name):
        raise RuntimeError("bulk indexing failed")

    monkeypatch.setattr(indexes, "rebuild", broken)
    response = rebuild(admin_client)

    assert response.status_code == 302
    assert messages_of(response) == [
        f"The rebuild of {ALIAS} failed; the index was left as it was. See the log."
    ]


# -- a real node ------------------------------------------------------------------------


def test_counts_drift_and_a_rebuild_that_ends_it(admin_client, search_cluster, cartography):
    ActorPageFactory(parent=cartography, title="Alpha Biologics")
    ActorPageFactory(parent=cartography, title="Beta Vectors")
    built = indexes.rebuild("actors")
    # Outside any on-commit capture: its index update never runs, the index misses it.
    ActorPageFactory(parent=cartography, title="Gamma Cells")

    response = admin_client.get(status_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-search-status="ok"' in html
    assert 'data-breaker="closed"' in html
    actors = row(response)
    assert actors.alias == ALIAS
    assert actors.versions == [built.index]
    assert abs((datetime.now(UTC) - actors.created).total_seconds()) < 60
    assert (actors.count, actors.expected) == (built.indexed, built.indexed + 1)
    assert actors.drift
    assert 'data-drift="yes"' in html
    assert f"<code>{built.index}</code>" in html
    news = row(response, "news")
    assert (news.versions, news.count, news.drift) == ([], None, False)
    assert "Not built yet" in html

    response = rebuild(admin_client)
    assert messages_of(response) == [
        f"{ALIAS} rebuilt: {built.indexed + 1} documents in "
        f"{indexes.aliased_indexes(search_cluster, 'actors')[0]}."
    ]

    actors = row(admin_client.get(status_url()))
    assert actors.count == actors.expected == built.indexed + 1
    assert not actors.drift
    assert actors.versions != [built.index]


def test_a_running_rebuild_is_shown_and_not_doubled(admin_client, search_cluster, cartography):
    ActorPageFactory(parent=cartography, title="Alpha Biologics")
    built = indexes.rebuild("actors")
    started = datetime.now(UTC).isoformat()
    search_cluster.index(
        index=indexes.locks_index(),
        id="actors",
        body={"index": f"{ALIAS}-v20990101000000000000", "started": started},
        refresh=True,
    )

    response = admin_client.get(status_url())
    actors = row(response)
    assert actors.rebuilding and not actors.lock_expired
    html = response.content.decode()
    assert "Rebuild running since" in html
    assert 'value="actors"' not in html  # no Rebuild button while one runs
    assert 'value="news"' in html

    response = rebuild(admin_client)
    assert messages_of(response) == [
        f"Another rebuild of {ALIAS} is running; this one did not start."
    ]
    assert indexes.aliased_indexes(search_cluster, "actors") == [built.index]
