"""Where a watch fetch connects, and with whose settings (security review, issue 9
item 11): to the address that was checked (no DNS rebinding), with TLS still checked
on the real host name, never through a proxy from the environment nor with ``.netrc``
credentials; and editors are not told what internal names resolve to."""

import datetime
import importlib
import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from cobioe_cms.watch import net
from cobioe_cms.watch.admin_sources import health_html
from cobioe_cms.watch.ingest.fetch import Deadline, GuardedAdapter
from cobioe_cms.watch.ingest.run import ingest_source
from cobioe_cms.watch.models import Source
from tests.factories import EditorFactory

from .conftest import running_feed_server

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_fetch_limits")]

HOST = "feeds.example.org"


@pytest.fixture
def guarded(settings):
    """The production default: private networks refused (the suite allows them)."""
    settings.COBIOE_WATCH_ALLOW_PRIVATE_SOURCES = False


@pytest.fixture
def rebinding_dns(monkeypatch):
    """A DNS server that answers ``first`` once, then ``later`` (a rebinding attack);
    every lookup of a name it serves is recorded."""
    real_getaddrinfo = socket.getaddrinfo
    dns = {"answers": {}, "asked": []}

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in dns["answers"]:
            return real_getaddrinfo(host, port, *args, **kwargs)  # literal addresses
        dns["asked"].append(host)
        first, later = dns["answers"][host]
        address = first if dns["asked"].count(host) == 1 else later
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return dns


@pytest.fixture
def server_counts_as_public(monkeypatch):
    """127.0.0.1, where the test server listens, stands for a public site; every
    other address meets the real classifier."""
    real_kind = net.non_public_kind

    def kind(address):
        return None if str(address) == "127.0.0.1" else real_kind(address)

    monkeypatch.setattr(net, "non_public_kind", kind)


# --- DNS rebinding ----------------------------------------------------------------------


def test_the_fetch_connects_to_the_address_that_was_checked(
    guarded, server_counts_as_public, rebinding_dns, feed_server
):
    port = feed_server.httpd.server_address[1]
    # Checked: the public answer. Anyone resolving again gets 127.0.0.2, where
    # nothing listens (it stands for the internal service the attacker wants).
    rebinding_dns["answers"][HOST] = ("127.0.0.1", "127.0.0.2")
    feed_server.serve("/rss.xml", file="source_a.xml")
    url = f"http://{HOST}:{port}/rss.xml"
    source = Source.objects.create(name="Rebinding", url=url)

    report = ingest_source(source)

    assert (report.status, report.new) == ("ok", 1), report.error
    assert rebinding_dns["asked"] == [HOST]  # resolved once, for the check
    # The request carried the real host name.
    assert feed_server.headers_sent_to("/rss.xml")[0]["Host"] == f"{HOST}:{port}"

    # What the guard closes: a client resolving the name again goes elsewhere.
    with pytest.raises(requests.ConnectionError):
        requests.get(url, timeout=2)
    assert rebinding_dns["asked"] == [HOST, HOST]


def test_a_private_answer_is_refused_without_naming_the_address(guarded, rebinding_dns):
    rebinding_dns["answers"]["intranet.example.org"] = ("10.1.2.3", "10.1.2.3")
    source = Source.objects.create(name="Internal", url="http://intranet.example.org/rss")

    report = ingest_source(source)

    expected = "refused: intranet.example.org resolves to a private or reserved address"
    assert report.status == "error" and report.error == expected
    source.refresh_from_db()
    assert source.last_error == expected
    assert "10.1.2.3" not in health_html(source)


def test_the_admin_does_not_show_what_internal_names_resolve_to(guarded, rebinding_dns, client):
    rebinding_dns["answers"]["metadata.example.org"] = ("169.254.169.254", "169.254.169.254")
    source = Source.objects.create(name="Metadata", url="http://metadata.example.org/latest/")
    ingest_source(source)
    client.force_login(EditorFactory(username="edith", email="edith@cobioe.eu"))

    listing = client.get("/admin/cobioe_watch/source/").content.decode()
    edit = client.get(f"/admin/cobioe_watch/source/edit/{source.pk}/").content.decode()

    for page in (listing, edit):
        assert "metadata.example.org resolves to a private or reserved address" in page
        assert "169.254" not in page and "link-local" not in page


# --- TLS: the certificate is checked on the real host name ------------------------------


def _certificates(tmp_path):
    """A test CA and a certificate it signed for HOST; returns (CA file, cert, key)."""
    now = datetime.datetime.now(datetime.UTC)

    def build(subject, issuer, key, signing_key, *, ca, names=()):
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(hours=1))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if names:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False
            )
        return builder.sign(signing_key, hashes.SHA256())

    ca_key, leaf_key = (
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP256R1()),
    )
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "COBIOE test CA")])
    ca = build(ca_name, ca_name, ca_key, ca_key, ca=True)
    leaf_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    leaf = build(leaf_name, ca_name, leaf_key, ca_key, ca=False, names=[HOST])
    pem = serialization.Encoding.PEM
    (tmp_path / "ca.pem").write_bytes(ca.public_bytes(pem))
    (tmp_path / "leaf.pem").write_bytes(leaf.public_bytes(pem))
    (tmp_path / "leaf.key").write_bytes(
        leaf_key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return tmp_path / "ca.pem", tmp_path / "leaf.pem", tmp_path / "leaf.key"


@pytest.fixture
def tls_server(tmp_path):
    """An HTTPS server on 127.0.0.1 with a certificate for HOST only; it records the
    TLS server name (SNI) each client asked for."""
    ca_file, cert, key = _certificates(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    names: list[str | None] = []
    context.sni_callback = lambda sock, name, ctx: names.append(name)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 -- the name http.server calls
            body = self.headers.get("Host", "").encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format, *args):  # noqa: A002 -- silence the access log
            pass

    class TLSServer(HTTPServer):
        def get_request(self):
            sock, address = super().get_request()
            try:
                return context.wrap_socket(sock, server_side=True), address
            except (ssl.SSLError, OSError):
                sock.close()
                raise

    httpd = TLSServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1], ca_file, names
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def _pinned_get(url, host, ca_file):
    deadline = Deadline(5)
    adapter = GuardedAdapter(deadline)
    adapter.pin(host, ("127.0.0.1",))
    try:
        with requests.Session() as http:
            http.trust_env = False
            http.mount("https://", adapter)
            return http.get(url, verify=str(ca_file), timeout=5)
    finally:
        deadline.close()


def test_tls_is_checked_on_the_host_name_while_connecting_to_the_pinned_address(
    tls_server, monkeypatch
):
    port, ca_file, names = tls_server
    real_getaddrinfo = socket.getaddrinfo
    looked_up = []

    def getaddrinfo(host, *args, **kwargs):
        looked_up.append(host)
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    response = _pinned_get(f"https://{HOST}:{port}/rss", HOST, ca_file)

    assert response.status_code == 200
    assert response.text == f"{HOST}:{port}"  # the Host header
    assert names == [HOST]  # SNI: the real name, not 127.0.0.1
    assert looked_up == ["127.0.0.1"]  # the pinned address only: the name was not resolved


def test_a_certificate_for_another_name_is_refused(tls_server):
    port, ca_file, names = tls_server

    with pytest.raises(requests.exceptions.SSLError):
        _pinned_get(f"https://other.example.org:{port}/rss", "other.example.org", ca_file)
    assert names == ["other.example.org"]


# --- Proxies and .netrc from the environment --------------------------------------------


def test_proxy_variables_and_netrc_are_ignored(feed_server, monkeypatch, tmp_path):
    with running_feed_server() as proxy:
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
            monkeypatch.setenv(name, proxy.base)
        for name in ("NO_PROXY", "no_proxy"):
            monkeypatch.delenv(name, raising=False)
        netrc = tmp_path / "netrc"
        netrc.write_text("machine 127.0.0.1 login feeds password s3cret\n")
        netrc.chmod(0o600)
        monkeypatch.setenv("NETRC", str(netrc))
        url = feed_server.serve("/rss.xml", file="source_a.xml")
        source = Source.objects.create(name="Direct", url=url)

        # An ordinary client would go through the proxy, with the .netrc password.
        requests.get(url, timeout=5)
        assert proxy.paths_requested() == [url]
        assert proxy.requests[0][1]["Authorization"].startswith("Basic ")
        proxy.requests.clear()

        report = ingest_source(source)

        assert (report.status, report.new) == ("ok", 1), report.error
        assert proxy.requests == []  # the proxy saw nothing
        sent = feed_server.headers_sent_to("/rss.xml")
        assert len(sent) == 1 and "Authorization" not in sent[0]


def test_errors_recorded_before_no_longer_name_the_address():
    """The data migration rewrites what older versions stored in ``last_error``."""
    from django.apps import apps

    migration = importlib.import_module(
        "cobioe_cms.watch.migrations.0003_hide_resolved_private_addresses"
    )
    old = Source.objects.create(
        name="Old",
        url="http://metadata.example.org/",
        last_error="refused: metadata.example.org resolves to 169.254.169.254, "
        "which is on a private network (link-local)",
    )
    literal = Source.objects.create(
        name="Literal",
        url="http://10.0.0.5/",
        last_error="refused: the address 10.0.0.5 is on a private network",
    )

    migration.hide_addresses(apps, None)

    old.refresh_from_db()
    literal.refresh_from_db()
    hidden = "refused: metadata.example.org resolves to a private or reserved address"
    assert old.last_error == hidden
    assert literal.last_error == "refused: the address 10.0.0.5 is on a private network"
