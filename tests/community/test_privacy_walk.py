"""Members-only stays members-only: a unique sentinel string is seeded in a members-only
group's thread (title and body) and replies (published, held, removed), and a second one
in what only the author and the moderators of a public group may read (a held thread, a
held reply, a removed reply). Then an anonymous visitor, a member of another group and a
plain signed-in member walk every public URL of the site (a crawl from the home page
following same-site links, plus an explicit list: the site search for each sentinel in
each section, the cartography's map data and exports, the news feeds, the watch feed,
every group, every thread id under every group id, every reply permalink, the edit,
report and moderation URLs by GET and POST, django-comments' and django-comments-xtd's
usual paths, which are not mounted) and find neither sentinel anywhere, and never a 500.
The e-mails sent when a reply is posted in the members-only group carry the sentinel to
no one outside the group."""

import datetime
import json
import uuid
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db.models import Q
from django.utils import timezone

from cobioe_cms.community.models import Follow, GroupMembership, Reply, Thread, WorkingGroupPage
from cobioe_cms.news.models import NewsIndexPage
from tests.factories import GroupMembershipFactory, MemberFactory, ThreadFactory, make_reply

from .conftest import url

SECRET = f"SENTINEL{uuid.uuid4().hex}"
MODERATORS_ONLY = f"SENTINEL{uuid.uuid4().hex}"
MAX_PAGES = 400
SKIPPED_PREFIXES = ("/admin/", "/documents/", "/static/", "/media/", "/i18n/")
SKIPPED_WORDS = ("logout", "delete")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action") and value:
                self.found.append(value)


def same_site_links(base: str, response) -> list[str]:
    if "html" not in response.get("Content-Type", ""):
        return []
    parser = Links()
    parser.feed(response.content.decode(errors="replace"))
    links = []
    for link in parser.found:
        absolute = urldefrag(urljoin(f"http://testserver{base}", link))[0]
        parts = urlsplit(absolute)
        if parts.netloc != "testserver" or parts.scheme not in ("http", "https"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path.startswith(SKIPPED_PREFIXES) or any(w in path for w in SKIPPED_WORDS):
            continue
        if SECRET in path or MODERATORS_ONLY in path:
            continue  # the searches' own links (echoes of the query), walked explicitly
        links.append(path)
    return links


def assert_clean(response, where: str) -> None:
    assert response.status_code < 500, where
    content = b"".join(response.streaming_content) if response.streaming else response.content
    headers = str(response.headers)
    for sentinel in (SECRET, MODERATORS_ONLY):
        if sentinel in where:
            # A search for the sentinel shows what was typed, and must find nothing.
            search = response.context["search"] if response.context else None
            assert search is None or (search.searched and search.total == 0), where
            continue
        assert sentinel.encode() not in content, f"{sentinel[:8]}… in {where}"
        assert sentinel not in headers, f"{sentinel[:8]}… in the headers of {where}"


def crawl(client, start: list[str]) -> int:
    """Visit every URL of ``start`` and up to :data:`MAX_PAGES` more found by following
    links; returns how many were visited."""
    seen, queue = set(start), deque(start)
    discovered = visited = 0
    while queue:
        path = queue.popleft()
        response = client.get(path)
        visited += 1
        assert_clean(response, path)
        next_paths = same_site_links(path, response)
        if response.status_code in (301, 302) and response.get("Location", "").startswith("/"):
            next_paths.append(response["Location"])
        for link in next_paths:
            if link not in seen and discovered < MAX_PAGES:
                seen.add(link)
                queue.append(link)
                discovered += 1
    return visited


@pytest.fixture
def world(groups_index, open_group, invitation_group, coordinator, member):
    """``member`` belongs to the members-only group; the moderators-only sentinel sits in
    the public group."""
    for user in (member, coordinator):
        user.date_joined = timezone.now() - datetime.timedelta(days=30)
        user.save(update_fields=["date_joined"])
    GroupMembershipFactory(group=invitation_group, user=member)
    secret = ThreadFactory(
        group=invitation_group,
        author=member,
        title=f"Budget {SECRET}",
        body=f"Figures: {SECRET}",
    )
    first = make_reply(secret, coordinator, text=f"Agreed {SECRET}")
    make_reply(secret, member, text=f"Answer {SECRET}", parent=first)
    make_reply(secret, member, text=f"Held {SECRET}", public=False)
    make_reply(secret, member, text=f"Removed {SECRET}", removed_at=timezone.now())
    public = ThreadFactory(group=open_group, author=coordinator, title="Open questions")
    make_reply(public, coordinator, text="Welcome, everyone")
    make_reply(public, member, text=f"Held {MODERATORS_ONLY}", public=False)
    make_reply(public, member, text=f"Removed {MODERATORS_ONLY}", removed_at=timezone.now())
    ThreadFactory(group=open_group, author=member, title=f"Held {MODERATORS_ONLY}", status="held")
    ThreadFactory(
        group=open_group,
        author=member,
        title=f"Removed {MODERATORS_ONLY}",
        status="removed",
    )
    return {"secret": secret, "public": public}


def explicit_urls(cartography) -> list[str]:
    groups = list(WorkingGroupPage.objects.values_list("pk", flat=True))
    threads = list(Thread.objects.values_list("pk", flat=True))
    replies = list(Reply.objects.values_list("pk", flat=True))
    thread_type = ContentType.objects.get_for_model(Thread).pk
    urls = ["/", "/search/", "/fr/search/", "/community/notifications/", "/watch/"]
    for sentinel in (SECRET, MODERATORS_ONLY, "Budget", "Figures"):
        urls.append(f"/search/?q={sentinel}")
        for kind in ("actors", "news", "pages", "discussions", "watch"):
            urls.append(f"/search/?q={sentinel}&kind={kind}")
    urls += [
        cartography.url,
        f"{cartography.url}map/data/",
        f"{cartography.url}export/csv/",
        f"{cartography.url}export/json/",
        f"{cartography.url}export/geojson/",
        "/sitemap.xml",
    ]
    for index in NewsIndexPage.objects.live():
        urls += [f"{index.url}feed/{fmt}/" for fmt in ("rss", "atom", "json")]
    urls += [page.url for page in WorkingGroupPage.objects.all()]
    for group in groups:
        urls += [url("moderation", group), url("manage", group), url("new_thread", group)]
        for thread in threads:
            urls += [
                url("thread", group, thread),
                url("edit_thread", group, thread),
                url("move_thread", group, thread),
            ]
    for reply in replies:
        urls += [url("reply", reply), url("edit_reply", reply)]
    # django-comments' and django-comments-xtd's own views are not mounted.
    for thread in threads:
        urls += [
            f"/comments/cr/{thread_type}/{thread}/",
            f"/comments/api/{thread_type}/{thread}/",
            f"/comments/api/{thread_type}/{thread}/count/",
            f"/comments/feeds/{thread_type}/{thread}/",
        ]
    for reply in replies:
        urls += [
            f"/comments/{reply}/",
            f"/comments/flag/{reply}/",
            f"/comments/approve/{reply}/",
            f"/comments/delete/{reply}/",
            f"/comments/reply/{reply}/",
            f"/comments/sent/?c={reply}",
        ]
    urls += ["/comments/", "/comments/post/", "/comments/preview/", "/comments/list/"]
    return urls


def posted_urls() -> list[str]:
    groups = list(WorkingGroupPage.objects.values_list("pk", flat=True))
    threads = list(Thread.objects.values_list("pk", flat=True))
    replies = list(Reply.objects.values_list("pk", flat=True))
    urls = ["/comments/post/", "/comments/preview/"]
    for group in groups:
        urls.append(url("new_thread", group))
        for thread in threads:
            urls += [
                url("post_reply", group, thread),
                url("edit_thread", group, thread),
                url("move_thread", group, thread),
                url("follow_thread", group, thread),
            ]
            urls += [
                url("moderate_thread", group, thread, action)
                for action in ("pin", "unpin", "lock", "unlock", "approve", "remove")
            ]
    for reply in replies:
        urls += [
            url("edit_reply", reply),
            url("flag_reply", reply),
            f"/comments/flag/{reply}/",
            f"/comments/approve/{reply}/",
            f"/comments/delete/{reply}/",
        ]
        urls += [
            url("moderate_reply", reply, action)
            for action in ("approve", "remove", "restore", "dismiss")
        ]
    return urls


def snapshot(secret: Thread):
    """What the walkers may not change: the members-only group's threads and their
    replies, and whatever holds a sentinel (flags and follows may be added in the
    public group: those are a member's own actions)."""
    thread_type = ContentType.objects.get_for_model(Thread)
    holds = Q()
    for sentinel in (SECRET, MODERATORS_ONLY):
        holds |= Q(title__contains=sentinel) | Q(body__contains=sentinel)
    threads = Thread.objects.filter(Q(group=secret.group_id) | holds)
    replies = Reply.objects.filter(
        Q(
            content_type=thread_type,
            object_pk__in=[str(pk) for pk in threads.values_list("pk", flat=True)],
        )
        | Q(comment__contains=SECRET)
        | Q(comment__contains=MODERATORS_ONLY)
    )
    return (
        list(threads.order_by("pk").values_list()),
        list(replies.order_by("pk").values_list()),
        list(GroupMembership.objects.filter(group=secret.group_id).values_list()),
    )


@pytest.mark.parametrize("who", ["anonymous", "member_of_another_group", "plain_member"])
def test_the_sentinel_is_nowhere_on_the_site(client, world, cartography, open_group, who):
    if who == "member_of_another_group":
        other = MemberFactory(username="olga", email="olga@berlin-vectors.de")
        GroupMembershipFactory(group=open_group, user=other)
        client.force_login(other)
    elif who == "plain_member":
        client.force_login(MemberFactory(username="paul", email="paul@lyonbio.eu"))

    walked = crawl(client, explicit_urls(cartography))
    assert walked > 100  # the walk did reach the site (it cannot pass by finding nothing)

    before = snapshot(world["secret"])
    for path in posted_urls():
        data = {
            "title": "x",
            "body": "x",
            "comment": "x",
            "to_group": open_group.pk,
            "object_pk": world["secret"].pk,
            "content_type": "cobioe_community.thread",
        }
        response = client.post(path, data)
        assert_clean(response, f"POST {path}")
        if path.startswith("/comments/"):
            assert response.status_code == 404, path
    assert snapshot(world["secret"]) == before


def test_the_comments_apps_urls_are_not_mounted(client, world, member):
    client.force_login(member)  # even for a member of the group
    secret = world["secret"]
    reply = Reply.objects.filter(object_pk=str(secret.pk)).first()
    thread_type = ContentType.objects.get_for_model(Thread).pk
    for path in (
        "/comments/post/",
        f"/comments/flag/{reply.pk}/",
        f"/comments/cr/{thread_type}/{secret.pk}/",
        f"/comments/api/{thread_type}/{secret.pk}/",
        f"/comments/{reply.pk}/",
    ):
        assert client.get(path).status_code == 404, path
        assert client.post(path, {"comment": "x"}).status_code == 404, path


def test_mail_about_a_members_only_reply_reaches_no_outsider(
    client, world, open_group, invitation_group, coordinator, member,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    outsider = MemberFactory(username="olga", email="olga@berlin-vectors.de")
    GroupMembershipFactory(group=open_group, user=outsider)
    secret = world["secret"]
    # The coordinator follows the thread; so does a former member who left the group
    # (their follow stayed), and the outsider follows the group they are in.
    Follow.objects.create(user=coordinator, thread=secret)
    former = MemberFactory(username="fred", email="fred@lyonbio.eu")
    Follow.objects.create(user=former, thread=secret)
    Follow.objects.create(user=outsider, group=open_group)
    mail.outbox = []
    client.force_login(member)
    form = client.get(secret.get_absolute_url()).context["form"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("post_reply", invitation_group.pk, secret.pk),
            {**form.initial, "reply_to": 0, "comment": f"New {SECRET}", "honeypot": ""},
        )
    assert response.status_code == 302
    assert Reply.objects.filter(comment=f"New {SECRET}", is_public=True).exists()
    members = set(
        GroupMembership.objects.filter(group=invitation_group, status="active").values_list(
            "user__email", flat=True
        )
    )
    assert [m for m in mail.outbox if coordinator.email in m.to], "no notification was sent"
    for message in mail.outbox:
        text = " ".join(
            [message.subject, message.body]
            + [content for content, _type in getattr(message, "alternatives", [])]
        )
        if SECRET in text:
            assert set(message.to + message.cc + message.bcc) <= members, message.to


def test_the_cluster_holds_no_sentinel(client, world, open_group, search_cluster):
    from io import StringIO

    from django.core.management import call_command

    from cobioe_cms.community.search_documents import THREADS_INDEX
    from tests.conftest import SEARCH_PREFIX

    call_command("search_rebuild", stdout=StringIO())
    alias = f"{SEARCH_PREFIX}-{THREADS_INDEX}"
    search_cluster.indices.refresh(index=alias)
    stored = search_cluster.search(index=alias, body={"query": {"match_all": {}}, "size": 100})
    assert {int(hit["_id"]) for hit in stored["hits"]["hits"]} == {world["public"].pk}
    for sentinel in (SECRET, MODERATORS_ONLY):
        assert sentinel not in json.dumps(stored)
        hits = search_cluster.search(
            index=alias, body={"query": {"term": {"search_text": sentinel.lower()}}}
        )
        assert hits["hits"]["total"]["value"] == 0
    other = MemberFactory(username="olga", email="olga@berlin-vectors.de")
    GroupMembershipFactory(group=open_group, user=other)
    for user in (None, other):
        if user:
            client.force_login(user)
        for sentinel in (SECRET, MODERATORS_ONLY):
            response = client.get("/search/", {"q": sentinel, "kind": "discussions"})
            search = response.context["search"]
            assert search.selected.backends == {"cluster"}
            assert search.total == 0
        # The cluster does answer: the public thread is found by a word of its reply.
        response = client.get("/search/", {"q": "welcome", "kind": "discussions"})
        assert [t.pk for t in response.context["search"].selected.page.object_list] == [
            world["public"].pk
        ]


@pytest.mark.parametrize("who", ["anonymous", "member_of_another_group"])
def test_the_demo_sites_members_only_discussions_stay_private(client, cartography, who):
    """The same walk over the demo site (organisations, news, groups of each policy and
    visibility with their threads), with the sentinel written into every thread and
    reply of its members-only groups, and into its public groups' held and removed
    posts."""
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo", actors=5, seed=1, stdout=StringIO())
    call_command("load_demo_members", stdout=StringIO())
    thread_type = ContentType.objects.get_for_model(Thread)
    private = WorkingGroupPage.objects.filter(discussion_visibility="members")
    assert private.exists()
    secret_threads = Thread.objects.filter(group__in=private)
    assert secret_threads.exists()
    for thread in secret_threads:
        Thread.objects.filter(pk=thread.pk).update(
            title=f"{thread.title[:100]} {SECRET}", body=f"{thread.body} {SECRET}"
        )
    secret_replies = Reply.objects.filter(
        content_type=thread_type,
        object_pk__in=[str(pk) for pk in secret_threads.values_list("pk", flat=True)],
    )
    assert secret_replies.exists()
    for reply in secret_replies:
        Reply.objects.filter(pk=reply.pk).update(comment=f"{reply.comment} {SECRET}")
    public_threads = Thread.objects.exclude(group__in=private)
    Thread.objects.exclude(group__in=private).exclude(status="published").update(
        title=MODERATORS_ONLY
    )
    hidden = Reply.objects.filter(
        content_type=thread_type,
        object_pk__in=[str(pk) for pk in public_threads.values_list("pk", flat=True)],
    ).filter(Q(is_public=False) | Q(removed_at__isnull=False))
    assert hidden.exists()  # the demo holds a held reply in a public group
    hidden.update(comment=MODERATORS_ONLY)

    if who == "member_of_another_group":
        other = MemberFactory(username="olga", email="olga@berlin-vectors.de")
        public_group = WorkingGroupPage.objects.filter(discussion_visibility="public").first()
        GroupMembershipFactory(group=public_group, user=other)
        client.force_login(other)
    urls = [u for u in explicit_urls(cartography) if not u.startswith("/comments/")]
    assert crawl(client, urls) > 200
