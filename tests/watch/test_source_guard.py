"""Watch sources never make the server reach its own private network (SSRF guard):
addresses are checked when fetched, on every redirect, and when editors save a source."""

import socket
from urllib.parse import urlsplit

import pytest

from cobioe_cms.watch import net
from cobioe_cms.watch.ingest.run import ingest_all, ingest_source
from cobioe_cms.watch.models import Source
from tests.factories import EditorFactory

from .conftest import running_feed_server

pytestmark = pytest.mark.usefixtures("fast_fetch_limits")

SOURCES = "/admin/cobioe_watch/source/"


@pytest.fixture
def guarded(settings):
    """The production default: private networks refused (the suite allows them)."""
    settings.COBIOE_WATCH_ALLOW_PRIVATE_SOURCES = False


@pytest.fixture
def fake_dns(monkeypatch):
    """Names resolve to what the test says, without a DNS server."""
    answers: dict[str, list[str]] = {}

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
            for a in answers[host]
        ]

    monkeypatch.setattr(net.socket, "getaddrinfo", getaddrinfo)
    return answers


# --- The address classifier -----------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.255.0.9", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped IPv6
        ("10.0.0.5", "private"),
        ("172.16.3.4", "private"),
        ("192.168.1.1", "private"),
        ("::ffff:192.168.1.1", "private"),
        ("fd12:3456::1", "private"),  # unique local
        ("169.254.169.254", "link-local"),  # cloud metadata
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),  # noqa: S104 -- an address under test, not a bind
        ("::", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        # RFC 6598 shared address space (carrier-grade NAT): not the internet, and some
        # clouds serve metadata there (100.100.100.200): refused.
        ("100.64.0.1", "shared address space"),
        ("100.100.100.200", "shared address space"),
        ("192.0.2.10", "private"),  # documentation range
        ("64:ff9b::a00:5", "private"),  # NAT64 of 10.0.0.5
        ("2002:7f00:1::1", "6to4, loopback"),  # 6to4 of 127.0.0.1
    ],
)
def test_non_public_addresses_are_named(address, kind):
    assert net.non_public_kind(address) == kind


@pytest.mark.parametrize(
    "address",
    [
        "93.184.216.34",
        "8.8.8.8",
        "100.128.0.1",  # just past the shared address space
        "2606:2800:220:1:248:1893:25c8:1946",
        "::ffff:93.184.216.34",
        "64:ff9b::5db8:d822",  # NAT64 of 93.184.216.34 (IPv6-only hosts)
    ],
)
def test_public_addresses_are_allowed(address):
    assert net.non_public_kind(address) is None


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("http://127.0.0.1/", "127.0.0.1"),
        ("http://localhost/feed", "localhost"),
        ("https://LocalHost.:8443/feed", "localhost"),
        ("http://feeds.localhost/", "feeds.localhost"),
        ("http://[::1]:8000/rss", "::1"),
        ("http://[::ffff:10.0.0.5]/", "::ffff:10.0.0.5"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://user:pass@10.0.0.5:99/", "10.0.0.5"),
        # urllib.parse reads example.org, but requests would connect to 127.0.0.1.
        ("http://127.0.0.1\\@example.org/", "127.0.0.1"),
        ("https://feeds.example.org/rss", None),  # a name: checked when fetched
        ("http://93.184.216.34/feed", None),
        ("not a url at all", None),
    ],
)
def test_private_host_without_dns(url, host):
    assert net.private_host(url) == host


# --- At fetch time --------------------------------------------------------------------


def test_names_resolving_to_a_private_address_are_refused(guarded, fake_dns):
    fake_dns["feeds.example.org"] = ["10.0.0.5"]
    fake_dns["mixed.example.org"] = ["93.184.216.34", "169.254.169.254"]
    fake_dns["public.example.org"] = ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"]

    # Editors are told that the name is internal, not what it resolves to.
    with pytest.raises(net.DestinationError) as refused:
        net.check_url("https://feeds.example.org/rss")
    assert str(refused.value) == (
        "refused: feeds.example.org resolves to a private or reserved address"
    )
    # Any private address is enough: the client may connect to that one.
    with pytest.raises(net.DestinationError) as refused:
        net.check_url("http://mixed.example.org/rss")
    assert "mixed.example.org resolves to a private or reserved address" in str(refused.value)
    assert "169.254" not in str(refused.value) and "link-local" not in str(refused.value)
    with pytest.raises(net.DestinationError, match="could not resolve the host name"):
        net.check_url("http://unknown.example.org/rss")
    with pytest.raises(net.DestinationError, match="refused: localhost is this server"):
        net.check_url("http://localhost:5432/")
    # The vetted addresses, which the fetch connects to (no second DNS answer).
    assert net.check_url("https://public.example.org/rss") == (
        "93.184.216.34",
        "2606:2800:220:1:248:1893:25c8:1946",
    )


def test_the_setting_turns_the_fetch_check_off(settings, fake_dns):
    settings.COBIOE_WATCH_ALLOW_PRIVATE_SOURCES = True

    # Not even resolved (fake_dns knows no name): a literal address is its own answer.
    assert net.check_url("http://10.0.0.5/feed") == ("10.0.0.5",)


@pytest.mark.django_db
def test_local_feed_is_refused_and_recorded_on_the_source(guarded, feed_server):
    refused = Source.objects.create(
        name="Local", url=feed_server.serve("/rss.xml", file="source_a.xml")
    )
    other = Source.objects.create(name="Metadata", url="http://169.254.169.254/latest/")

    reports = {report.source: report for report in ingest_all()}  # never raises

    assert reports["Local"].status == reports["Metadata"].status == "error"
    refused.refresh_from_db()
    assert refused.last_error == "refused: the address 127.0.0.1 is on a private network (loopback)"
    assert refused.consecutive_failures == 1 and refused.last_error_at is not None
    assert not refused.items.exists() and refused.items_fetched == 0
    assert feed_server.paths_requested() == []  # no connection was made
    other.refresh_from_db()
    assert "169.254.169.254 is on a private network (link-local)" in other.last_error


@pytest.mark.django_db
def test_local_feed_is_fetched_when_private_sources_are_allowed(settings, feed_server):
    settings.COBIOE_WATCH_ALLOW_PRIVATE_SOURCES = True
    source = Source.objects.create(
        name="Local", url=feed_server.serve("/rss.xml", file="source_a.xml")
    )

    report = ingest_source(source)

    assert (report.status, report.new) == ("ok", 1)
    assert source.last_error == "" and source.items.count() == 1


@pytest.fixture
def other_server():
    """A second local server (another port): the target of a redirect."""
    with running_feed_server() as server:
        yield server


@pytest.mark.django_db
def test_redirect_to_a_private_address_is_refused(guarded, feed_server, other_server, monkeypatch):
    # The first server stands for a public site: its port is let through, everything
    # else meets the real check (and real network).
    allowed_port = feed_server.httpd.server_address[1]
    real_check = net.check_url

    def check_but_trust_the_first_server(url):
        if urlsplit(url).port == allowed_port:
            return ("127.0.0.1",)
        return real_check(url)

    monkeypatch.setattr(net, "check_url", check_but_trust_the_first_server)
    target = other_server.serve("/rss.xml", file="source_a.xml")
    source = Source.objects.create(name="Moved", url=feed_server.redirect("/old.xml", target))

    report = ingest_source(source)

    assert report.status == "error"
    assert source.last_error == "refused: the address 127.0.0.1 is on a private network (loopback)"
    assert feed_server.paths_requested() == ["/old.xml"]
    assert other_server.paths_requested() == []  # the redirect was not followed
    assert not source.items.exists()


# --- When editors save a source -------------------------------------------------------


@pytest.fixture
def editor_client(client, db):
    client.force_login(EditorFactory(username="edith", email="edith@cobioe.eu"))
    return client


def create_source(client, url: str):
    return client.post(
        f"{SOURCES}create/",
        {"name": "Internal", "url": url, "language": "en", "active": "on"},
    )


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("http://127.0.0.1/", "127.0.0.1"),
        ("http://localhost/feed", "localhost"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://[::1]:8080/rss", "::1"),
    ],
)
def test_admin_refuses_private_addresses(guarded, editor_client, url, host):
    response = create_source(editor_client, url)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["url"] == [
        f"{host} is on a private network: the watch only reads feeds from the public internet."
    ]
    assert "is on a private network" in response.content.decode()
    assert not Source.objects.exists()


def test_admin_accepts_public_and_allowed_private_addresses(settings, editor_client):
    settings.COBIOE_WATCH_ALLOW_PRIVATE_SOURCES = False
    assert create_source(editor_client, "https://feeds.example.org/rss").status_code == 302

    settings.COBIOE_WATCH_ALLOW_PRIVATE_SOURCES = True
    assert create_source(editor_client, "http://localhost/feed").status_code == 302

    assert set(Source.objects.values_list("url", flat=True)) == {
        "https://feeds.example.org/rss",
        "http://localhost/feed",
    }
