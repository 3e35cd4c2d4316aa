"""Public threads in the site search ("Discussions"), on the database and on the cluster:
found by a word of their title, opening post or visible replies; members-only, held and
removed threads, and held replies, never; a thread whose group turns members-only, is
unpublished, or that moves to a members-only group leaves the results (and the index)."""

from io import StringIO

import pytest
from django.core.management import call_command

from cobioe_cms.community import discussions
from cobioe_cms.community.models import Thread
from cobioe_cms.community.search_documents import THREADS_INDEX
from tests.conftest import SEARCH_PREFIX
from tests.factories import GroupMembershipFactory, MemberFactory, ThreadFactory, make_reply


@pytest.fixture
def world(open_group, invitation_group, coordinator, member):
    GroupMembershipFactory(group=open_group, user=member)
    GroupMembershipFactory(group=invitation_group, user=member)
    public = ThreadFactory(
        group=open_group, author=member, title="Lyophilisation capacity", body="Who has slots?"
    )
    make_reply(public, coordinator, text="Our zymotic bioreactors are free in May")
    make_reply(public, coordinator, text="A held quokka remark", public=False)
    secret = ThreadFactory(
        group=invitation_group, author=member, title="Lyophilisation budget", body="Numbers"
    )
    make_reply(secret, coordinator, text="Confidential wombat figures")
    held = ThreadFactory(
        group=open_group, author=member, title="Lyophilisation held", status="held"
    )
    return {"public": public, "secret": secret, "held": held}


def found(client, query) -> list[str]:
    response = client.get("/search/", {"q": query, "kind": "discussions"})
    assert response.status_code == 200
    page = response.context["search"].selected.page
    return [thread.title for thread in page.object_list]


def test_a_public_thread_is_found_by_its_title_body_and_visible_replies(client, world):
    assert found(client, "lyophilisation") == ["Lyophilisation capacity"]
    assert found(client, "slots") == ["Lyophilisation capacity"]
    assert found(client, "zymotic bioreactor") == ["Lyophilisation capacity"]
    assert found(client, "quokka") == []  # a held reply is not the thread's text
    response = client.get("/search/", {"q": "zymotic"})
    body = response.content.decode()
    assert "Discussions" in body and world["public"].get_absolute_url() in body


@pytest.mark.parametrize("who", ["anonymous", "outsider", "member"])
def test_members_only_threads_are_never_found(client, world, who, request):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    assert found(client, "wombat") == []
    assert found(client, "budget") == []
    body = client.get("/search/", {"q": "lyophilisation"}).content.decode()
    assert "Lyophilisation budget" not in body and "Lyophilisation held" not in body
    assert "Lyophilisation capacity" in body


def test_visibility_change_unpublish_and_move_leave_the_results(
    client, world, open_group, invitation_group, coordinator
):
    public = world["public"]
    revision = open_group.save_revision()
    open_group.discussion_visibility = "members"
    open_group.save_revision().publish()
    assert found(client, "zymotic") == []
    open_group.discussion_visibility = "public"
    open_group.save_revision().publish()
    assert found(client, "zymotic") == ["Lyophilisation capacity"]
    open_group.unpublish()
    assert found(client, "zymotic") == []
    revision.publish()
    assert found(client, "zymotic") == ["Lyophilisation capacity"]
    discussions.move_thread(coordinator, Thread.objects.get(pk=public.pk), invitation_group)
    assert found(client, "zymotic") == []


# -- the cluster -------------------------------------------------------------------------


def backends(client, query) -> set[str]:
    response = client.get("/search/", {"q": query, "kind": "discussions"})
    return response.context["search"].selected.backends


def indexed_ids(cluster) -> set[int]:
    alias = f"{SEARCH_PREFIX}-{THREADS_INDEX}"
    cluster.indices.refresh(index=alias)
    hits = cluster.search(index=alias, body={"query": {"match_all": {}}, "size": 100})
    return {int(hit["_id"]) for hit in hits["hits"]["hits"]}


def test_the_cluster_holds_public_threads_only_and_follows_changes(
    client, world, search_cluster, open_group, invitation_group, coordinator,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    output = StringIO()
    call_command("search_rebuild", stdout=output)  # every index: every section asks
    assert f"{SEARCH_PREFIX}-{THREADS_INDEX}: 1 documents" in output.getvalue()
    public = world["public"]
    assert indexed_ids(search_cluster) == {public.pk}
    response = client.get("/search/", {"q": "zymotic", "kind": "discussions"})
    assert response.context["search"].selected.backends == {"cluster"}
    assert [t.pk for t in response.context["search"].selected.page.object_list] == [public.pk]
    assert found(client, "wombat") == [] and found(client, "quokka") == []

    # A reply published through the rules reaches the index.
    veteran = MemberFactory(username="vera")
    veteran.date_joined = veteran.date_joined.replace(year=veteran.date_joined.year - 1)
    veteran.save()
    GroupMembershipFactory(group=open_group, user=veteran)
    with django_capture_on_commit_callbacks(execute=True):
        discussions.post_reply(veteran, Thread.objects.get(pk=public.pk), "Axolotl cells too")
    assert indexed_ids(search_cluster) == {public.pk}  # refreshed: the reply is searchable
    assert found(client, "axolotl") == ["Lyophilisation capacity"]
    assert backends(client, "axolotl") == {"cluster"}

    # The group turns members-only: its threads leave the index.
    with django_capture_on_commit_callbacks(execute=True):
        open_group.discussion_visibility = "members"
        open_group.save_revision().publish()
    assert indexed_ids(search_cluster) == set()
    with django_capture_on_commit_callbacks(execute=True):
        open_group.discussion_visibility = "public"
        open_group.save_revision().publish()
    assert indexed_ids(search_cluster) == {public.pk}

    # Moved to a members-only group, or removed by a moderator: out.
    with django_capture_on_commit_callbacks(execute=True):
        discussions.move_thread(coordinator, Thread.objects.get(pk=public.pk), invitation_group)
    assert indexed_ids(search_cluster) == set()
    assert found(client, "zymotic") == [] and backends(client, "zymotic") == {"cluster"}
    with django_capture_on_commit_callbacks(execute=True):
        discussions.move_thread(coordinator, Thread.objects.get(pk=public.pk), open_group)
    assert indexed_ids(search_cluster) == {public.pk}
    with django_capture_on_commit_callbacks(execute=True):
        discussions.remove_thread(coordinator, Thread.objects.get(pk=public.pk))
    assert indexed_ids(search_cluster) == set()
