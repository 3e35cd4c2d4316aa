"""Bad input to the discussions: forged or altered reply forms, odd ids, wrong methods,
over-long text, XSS payloads. Always a clear answer, never a 500, nothing stored, and
never markup a member typed in the page."""

import time
from html.parser import HTMLParser

import pytest

from cobioe_cms.community.forms import ReplyForm
from cobioe_cms.community.models import Reply, Thread
from tests.factories import ActorPageFactory, ThreadFactory, make_reply

from .conftest import url
from .discussions_support import member_of, messages_of, post_reply, reply_form_data, seasoned

pytestmark = pytest.mark.django_db

ALTERED = "This form has expired or was altered; your text is below, send it again."


@pytest.fixture
def thread(open_group, coordinator):
    return ThreadFactory(group=open_group, author=seasoned(coordinator), body="Opening post")


@pytest.fixture
def poster(client, open_group):
    user = member_of(open_group, "paula")
    client.force_login(user)
    return user


def _refused(response, text=b"My careful words"):
    assert response.status_code == 400
    assert text in response.content
    assert not Reply.objects.exists()


def test_a_tampered_security_hash(client, thread, poster):
    data = reply_form_data(thread, "My careful words", security_hash="0" * 40)
    response = client.post(url("post_reply", thread.group_id, thread.pk), data)
    _refused(response)
    assert ALTERED in messages_of(response)
    # the form shown again is signed afresh: sending it works
    again = response.context["form"]
    data = {**again.initial, "comment": again.initial["comment"], "honeypot": ""}
    assert client.post(url("post_reply", thread.group_id, thread.pk), data).status_code == 302


def test_another_threads_signed_form_posted_here(client, open_group, thread, poster):
    other = ThreadFactory(group=open_group, author=poster, title="Other")
    page = client.get(other.get_absolute_url())  # a valid, signed form of the other thread
    data = {**page.context["form"].initial, "comment": "My careful words", "honeypot": ""}
    response = client.post(url("post_reply", open_group.pk, thread.pk), data)
    _refused(response)
    assert "This form belongs to another thread; nothing was posted." in messages_of(response)


def test_a_members_only_threads_form_posted_by_a_non_member(
    client, open_group, invitation_group, coordinator, thread, poster
):
    secret = ThreadFactory(group=invitation_group, author=coordinator, title="Secret")
    data = {
        **ReplyForm(secret).initial,
        "comment": "My careful words",
        "honeypot": "",
        "reply_to": 0,
    }
    # to the members-only thread's own address: it does not exist for them
    assert client.post(url("post_reply", invitation_group.pk, secret.pk), data).status_code == 404
    # under the public group's address, with the thread id changed: 404 too
    assert client.post(url("post_reply", open_group.pk, secret.pk), data).status_code == 404
    # the secret thread's signed data, to a thread they may post in
    _refused(client.post(url("post_reply", open_group.pk, thread.pk), data))
    assert not Reply.objects.exists()


@pytest.mark.parametrize(
    "content_type", ["auth.user", "cobioe_community.workinggrouppage", "nope.nope", "", "x" * 500]
)
def test_a_wrong_content_type(client, thread, poster, content_type):
    data = reply_form_data(thread, "My careful words", content_type=content_type)
    _refused(client.post(url("post_reply", thread.group_id, thread.pk), data))


def test_a_wrong_content_type_with_a_matching_hash(client, thread, poster, coordinator):
    """Signed for a user object of the same id: still refused."""
    form = ReplyForm(coordinator)
    data = {**form.initial, "object_pk": str(thread.pk), "comment": "My careful words"}
    data.update(honeypot="", reply_to=0)
    data["security_hash"] = form.generate_security_hash(
        data["content_type"], str(thread.pk), data["timestamp"]
    )
    _refused(client.post(url("post_reply", thread.group_id, thread.pk), data))


@pytest.mark.parametrize("timestamp", [None, "", "yesterday", "1e10", "-1", "99999999999999999999"])
def test_a_missing_or_garbage_timestamp(client, thread, poster, timestamp):
    data = reply_form_data(thread, "My careful words")
    if timestamp is None:
        del data["timestamp"]
    else:
        data["timestamp"] = timestamp
    response = client.post(url("post_reply", thread.group_id, thread.pk), data)
    _refused(response)
    assert ALTERED in messages_of(response)


def test_an_expired_timestamp(client, thread, poster):
    form = ReplyForm(thread)
    old = int(time.time()) - 3 * 3600
    data = {**form.initial, "timestamp": str(old), "security_hash": form.initial_security_hash(old)}
    data.update(comment="My careful words", honeypot="", reply_to=0)
    response = client.post(url("post_reply", thread.group_id, thread.pk), data)
    _refused(response)
    assert ALTERED in messages_of(response)


@pytest.mark.parametrize("reply_to", ["abc", "1.5", "-3", "99999999999999999999", "999999"])
def test_an_odd_reply_to(client, thread, poster, reply_to):
    response = post_reply(client, thread, "My careful words", reply_to=reply_to)
    _refused(response)


def test_reply_to_a_deleted_or_removed_or_held_reply(
    client, open_group, thread, poster, coordinator
):
    deleted = make_reply(thread, poster, "gone")
    Reply.objects.filter(pk=deleted.pk).update(deleted_at="2026-01-01T00:00Z")
    removed = make_reply(thread, poster, "removed")
    Reply.objects.filter(pk=removed.pk).update(removed_at="2026-01-01T00:00Z")
    held = make_reply(thread, coordinator, "held", public=False)
    for parent in (deleted, removed, held):
        response = post_reply(client, thread, "My careful words", reply_to=parent.pk)
        assert response.status_code == 400
        assert "The reply you answer is no longer there." in messages_of(response)
        assert b"My careful words" in response.content
    assert not Reply.objects.filter(comment="My careful words").exists()


def test_an_unknown_moderation_action_is_404(client, thread, coordinator):
    reply = make_reply(thread, coordinator, "Hello")
    client.force_login(coordinator)
    assert (
        client.post(url("moderate_thread", thread.group_id, thread.pk, "explode")).status_code
        == 404
    )
    assert client.post(url("moderate_reply", reply.pk, "explode")).status_code == 404
    assert client.post(url("moderate_reply", 999999, "remove")).status_code == 404
    assert client.post(url("moderate_thread", thread.group_id, 999999, "pin")).status_code == 404


def test_get_on_post_only_urls_is_405(client, thread, coordinator):
    reply = make_reply(thread, coordinator, "Hello")
    client.force_login(coordinator)
    g, t, r = thread.group_id, thread.pk, reply.pk
    for address in (
        url("post_reply", g, t),
        url("follow_thread", g, t),
        url("move_thread", g, t),
        url("moderate_thread", g, t, "lock"),
        url("delete_reply", r),
        url("flag_reply", r),
        url("moderate_reply", r, "remove"),
    ):
        assert client.get(address).status_code == 405, address
    thread.refresh_from_db()
    assert not thread.is_locked and Reply.objects.get().deleted_at is None


def test_oversized_text_is_a_400_that_keeps_the_text(client, open_group, thread, poster):
    text = "word " * 2001  # 10,005 characters
    response = post_reply(client, thread, text)
    assert response.status_code == 400
    assert b"at most 10000 characters" in response.content
    assert b"word word word" in response.content
    assert not Reply.objects.exists()
    response = client.post(url("new_thread", open_group.pk), {"title": "Long", "body": text})
    assert response.status_code == 400
    assert b"at most 10000 characters" in response.content
    assert Thread.objects.count() == 1
    response = client.post(url("new_thread", open_group.pk), {"title": "T" * 201, "body": "b"})
    assert response.status_code == 400 and Thread.objects.count() == 1


def test_empty_posts_are_refused(client, open_group, thread, poster):
    assert post_reply(client, thread, "").status_code == 400
    assert (
        client.post(url("new_thread", open_group.pk), {"title": "", "body": ""}).status_code == 400
    )
    assert not Reply.objects.exists() and Thread.objects.count() == 1


XSS = [
    "<script>alert('x1')</script>",
    "[click](javascript:alert('x2'))",
    "[x](javascript:alert(1))",
    "<img src=x onerror=alert('x3')>",
    "![img](x onerror=alert('x4'))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[ent](&#106;avascript:alert('x5'))",
    "[ent2](jav&#x09;ascript:alert('x6'))",
    "<a href=\"javascript:alert('x7')\">a</a>",
    "&lt;script&gt;alert('x8')&lt;/script&gt;",
    "<svg/onload=alert('x9')>",
    '[t](https://ok.example "x\\" onmouseover=\\"alert(1)")',
    "<iframe src=//evil.example></iframe>",
    "`<script>`",
]


def _posts(content: bytes) -> bytes:
    """The rendered texts of the page's posts (no div can be in them: the sanitiser
    drops it)."""
    import re

    bodies = re.findall(rb'<div class="post-body[^"]*">(.*?)</div>', content, re.DOTALL)
    assert bodies
    return b"\n".join(bodies)


class _Tags(HTMLParser):
    """The tags and attributes a browser would see in some HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _markup(html: bytes) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(html.decode())
    return parser.tags


def test_xss_payloads_are_never_markup(client, open_group, thread, poster):
    for payload in XSS:
        assert post_reply(client, thread, payload).status_code == 302, payload
    client.post(url("new_thread", open_group.pk), {"title": "<script>t()</script>", "body": XSS[3]})
    page = client.get(thread.get_absolute_url())
    tags = _markup(_posts(page.content))
    assert {tag for tag, _attrs in tags} <= {"p", "a", "code", "br"}
    for _tag, attrs in tags:
        assert set(attrs) <= {"href", "title", "rel"}, attrs
        href = attrs.get("href", "https://")
        assert href.startswith(("https://", "http://", "mailto:")), href
    assert b"&lt;script&gt;alert('x1')&lt;/script&gt;" in page.content
    # typed entities show as the characters they name, never as a tag
    assert b"<script>alert('x8')" not in page.content
    new = Thread.objects.get(title="<script>t()</script>")
    page = client.get(new.get_absolute_url())
    assert b"<script>t()" not in page.content and b"&lt;script&gt;t()" in page.content
    assert {tag for tag, _attrs in _markup(_posts(page.content))} <= {"p"}
    group_page = client.get(open_group.url)
    assert b"<script>t()" not in group_page.content


def test_links_are_nofollow_ugc(client, thread, poster):
    post_reply(client, thread, "See [the guide](https://guide.example/a) and https://b.example/x")
    posts = _posts(client.get(thread.get_absolute_url()).content)
    assert b'href="https://guide.example/a" rel="nofollow ugc noopener noreferrer"' in posts
    assert b'href="https://b.example/x" rel="nofollow ugc noopener noreferrer"' in posts
    post_reply(client, thread, "(see https://c.example/y)")
    posts = _posts(client.get(thread.get_absolute_url()).content)
    assert b'(see <a href="https://c.example/y" rel="nofollow ugc noopener noreferrer">' in posts


def test_mentions_link_live_profiles_only(client, cartography, thread, poster):
    actor = ActorPageFactory(parent=cartography, title="Acme Bio", slug="acme-bio")
    ActorPageFactory(parent=cartography, title="Draft Bio", slug="draft-bio", live=False)
    post_reply(client, thread, "Ask @acme-bio or @draft-bio or @nobody-here, mail a@acme-bio.eu")
    posts = _posts(client.get(thread.get_absolute_url()).content)
    assert (
        f'<a href="{actor.url}" rel="nofollow ugc noopener noreferrer">@Acme Bio</a>'.encode()
        in posts
    )
    assert b"@draft-bio" in posts and b"@nobody-here" in posts
    assert posts.count(b"<a href") == 1 + posts.count(b"mailto")
