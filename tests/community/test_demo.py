"""The demo working groups: load_demo adds a groups index and one group per policy and
visibility when cobioe_cms.community is installed; the demo member coordinates one and
belongs to another, whichever of load_demo and load_demo_members runs first. Every group
has threads with nested replies; the coordinated one has a held and a reported reply."""

import io

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.community.discussions import must_hold, replies_of
from cobioe_cms.community.models import (
    GroupMembership,
    Reply,
    Thread,
    WorkingGroupIndexPage,
    WorkingGroupPage,
)

from .conftest import url

pytestmark = pytest.mark.django_db


def test_load_demo_adds_groups_of_each_policy_and_visibility():
    out = io.StringIO()
    call_command("load_demo", actors=1, seed=1, stdout=out)
    call_command("load_demo_members", stdout=io.StringIO())
    assert "Demo working groups: 6 new." in out.getvalue()
    groups = WorkingGroupPage.objects.live().filter(is_demo=True)
    combinations = {(g.membership_policy, g.discussion_visibility) for g in groups}
    assert combinations == {
        (policy, visibility)
        for policy in ("open", "approval", "invitation")
        for visibility in ("public", "members")
    }
    assert all(g.memberships.coordinators().exists() for g in groups)
    member = User.objects.get(email="member@example.org")
    rows = GroupMembership.objects.filter(user=member, status="active")
    assert sorted(rows.values_list("role", flat=True)) == ["coordinator", "member"]

    # Again: nothing new, nothing doubled.
    out = io.StringIO()
    call_command("load_demo", actors=1, seed=1, stdout=out)
    assert "Demo working groups: 0 new." in out.getvalue()
    assert WorkingGroupIndexPage.objects.count() == 1
    assert GroupMembership.objects.filter(user=member).count() == 2


def test_the_demo_member_is_placed_when_loaded_first():
    call_command("load_demo", actors=1, seed=1, stdout=io.StringIO())  # groups, no member yet
    assert not GroupMembership.objects.filter(user__email="member@example.org").exists()
    call_command("load_demo_members", stdout=io.StringIO())
    assert GroupMembership.objects.filter(user__email="member@example.org").count() == 2


def test_no_groups_without_the_community_app(monkeypatch):
    installed = apps.is_installed
    monkeypatch.setattr(
        apps, "is_installed", lambda name: name != "cobioe_cms.community" and installed(name)
    )
    out = io.StringIO()
    call_command("load_demo", actors=1, seed=1, stdout=out)
    assert "working groups" not in out.getvalue()
    assert not WorkingGroupPage.objects.exists()


def test_the_demo_groups_pages_answer(client):
    call_command("load_demo", actors=1, seed=1, stdout=io.StringIO())
    index = WorkingGroupIndexPage.objects.get()
    page = client.get(index.url).content.decode()
    assert "6 working groups" in page
    assert (
        client.get(index.url + "?stage=production").content.decode().count('class="group-card"')
        == 2
    )


def _load_all():
    call_command("load_demo", actors=1, seed=1, stdout=io.StringIO())
    call_command("load_demo_members", stdout=io.StringIO())


def test_every_demo_group_has_threads_with_nested_replies():
    _load_all()
    groups = WorkingGroupPage.objects.filter(is_demo=True)
    assert all(Thread.objects.filter(group=g, is_demo=True).count() >= 2 for g in groups)
    replies = Reply.objects.all()
    assert max(r.level for r in replies) >= 2, "some answers are nested two levels deep"
    assert Thread.objects.filter(is_pinned=True).count() == 1
    assert Thread.objects.filter(is_locked=True).count() == 1
    assert Thread.objects.filter(language="fr").count() == 2
    assert replies.filter(comment__startswith="> **").count() == 1, "one quoted reply"
    # The counts the listings show are those of the visible replies.
    for thread in Thread.objects.all():
        visible = replies_of(thread).filter(is_public=True, deleted_at=None, removed_at=None)
        assert thread.reply_count == visible.count()
        if visible.exists():
            assert thread.last_activity_at == max(r.submit_date for r in visible)
    # Authors joined long ago (their posts show at once), but for the one newcomer.
    authors = User.objects.filter(group_threads__isnull=False).distinct()
    assert all(not must_hold(a, t.group) for a in authors for t in a.group_threads.all())

    # Again: nothing doubled.
    before = (Thread.objects.count(), replies.count())
    out = io.StringIO()
    call_command("load_demo", actors=1, seed=1, stdout=out)
    assert "Demo discussion threads: 0 new." in out.getvalue()
    assert (Thread.objects.count(), Reply.objects.count()) == before


def test_the_coordinated_group_has_something_to_moderate(client):
    _load_all()
    member = User.objects.get(email="member@example.org")
    group = WorkingGroupPage.objects.get(slug="mrna-scale-up")
    assert GroupMembership.objects.get(group=group, user=member).role == "coordinator"
    client.force_login(member)
    page = client.get(url("moderation", group.pk)).content.decode()
    assert "I am new here" in page, "the newcomer's held reply"
    assert "Cheap single-use filters" in page, "the reported reply"


def test_a_demo_thread_shows_its_mention_and_quote(client):
    _load_all()
    thread = Thread.objects.get(title__startswith="LNP formulation")
    actor = ActorPage.objects.filter(is_demo=True).order_by("path").first()
    page = client.get(thread.get_absolute_url()).content.decode()
    assert f'href="{actor.url}"' in page, "the @slug mention links to the profile"
    assert "<blockquote>" in page
    assert "I am new here" not in page, "a held reply is not shown to visitors"


def test_the_demo_member_posts_on_a_demo_thread(client):
    _load_all()
    member = User.objects.get(email="member@example.org")
    thread = Thread.objects.get(title__startswith="Potency assays")  # a group they belong to
    assert GroupMembership.objects.get(group=thread.group, user=member).role == "member"
    before = thread.reply_count
    client.force_login(member)
    form = client.get(thread.get_absolute_url()).context["form"]
    data = {**form.initial, "reply_to": 0, "honeypot": "", "comment": "CD107a, phase I."}
    response = client.post(url("post_reply", thread.group_id, thread.pk), data)
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.reply_count == before + 1, "published at once: not a newcomer's post"
    assert "CD107a, phase I." in client.get(thread.get_absolute_url()).content.decode()
