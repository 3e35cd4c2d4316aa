"""Download a feed over HTTP without trusting the server.

Feeds are other people's servers: they may be slow, huge, redirect forever or point
to another scheme or to our own private network. Every fetch is bounded (connect and
read timeouts, a body size limit, a redirect limit, http/https only, public addresses
only: see ``cobioe_cms.watch.net``) and conditional (ETag / Last-Modified), so a source
that did not change costs one 304. Limits come from settings (``COBIOE_WATCH_*``) so
tests and sites can tighten them.

The overall deadline (``COBIOE_WATCH_FETCH_DEADLINE``) holds whatever the server does:
a timer shuts the fetch's sockets down when it passes, which ends any read at once,
however slowly the server sends its headers or body (read timeouts alone restart
with every byte, so a server sending one byte a second would hold a fetch forever).

Connections go to the addresses ``net.check_url`` vetted, never to a second DNS
answer, while the Host header, TLS SNI and certificate check use the real host name;
proxy environment variables and ``.netrc`` are ignored (``trust_env = False``): a
feed is fetched directly, without anybody's credentials.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util import connection as urllib3_connection

from cobioe_cms.core.conf import conf

from .. import net

USER_AGENT = "COBIOE-watch/1.0 (economic watch of the COBIOE bioproduction platform)"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
CHUNK_SIZE = 64 * 1024


class FetchError(Exception):
    """The feed could not be downloaded; the message is meant for editors."""


@dataclass(frozen=True)
class FetchLimits:
    """How long and how much one fetch may take (seconds, bytes, hops)."""

    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    deadline: float = 30.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5

    @classmethod
    def from_settings(cls) -> FetchLimits:
        return cls(
            connect_timeout=conf.WATCH_CONNECT_TIMEOUT,
            read_timeout=conf.WATCH_READ_TIMEOUT,
            deadline=conf.WATCH_FETCH_DEADLINE,
            max_bytes=conf.WATCH_MAX_FEED_BYTES,
            max_redirects=conf.WATCH_MAX_REDIRECTS,
        )


@dataclass(frozen=True)
class FetchResult:
    """What the server answered: 200 with a body, or 304 (nothing changed)."""

    status: int
    body: bytes
    headers: Mapping[str, str]
    url: str

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Deadline:
    """A fetch's wall-clock deadline, enforced from outside the reading thread.

    Every socket the fetch opens is registered (as a duplicate descriptor, which stays
    valid whatever urllib3 or TLS do with the original); when the time is up a timer
    shuts them all down, so a blocked read returns at once.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds
        self.expired = False
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._timer = threading.Timer(max(seconds, 0), self._expire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        return self.ends - time.monotonic()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock.dup())
            if self.expired:
                self._shut(self._sockets[-1])

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):  # already closed
            sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._timer.cancel()
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()


class GuardedAdapter(HTTPAdapter):
    """Connects only to the vetted addresses of a host (``pin`` them before each
    request), and registers every socket with the fetch's :class:`Deadline`."""

    def __init__(self, deadline: Deadline) -> None:
        self.deadline = deadline
        self.pins: dict[str, tuple[str, ...]] = {}
        super().__init__(max_retries=0)

    def pin(self, host: str, addresses: tuple[str, ...]) -> None:
        self.pins[host] = tuple(addresses)

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": self._pinned(HTTPConnectionPool, HTTPConnection),
            "https": self._pinned(HTTPSConnectionPool, HTTPSConnection),
        }

    def _pinned(self, pool: type, connection: type) -> type:
        """``pool`` whose connections open their socket with :meth:`connect`; TLS and
        the Host header are the base class's own, on the URL's host name."""
        opened = type(
            f"Pinned{connection.__name__}",
            (connection,),
            {"_new_conn": lambda conn: self.connect(conn)},
        )
        return type(f"Pinned{pool.__name__}", (pool,), {"ConnectionCls": opened})

    def connect(self, conn: HTTPConnection) -> socket.socket:
        """The socket of ``conn``: to one of its host's vetted addresses, in order."""
        host = conn.host.strip("[]").rstrip(".").lower()
        addresses = self.pins.get(host)
        if not addresses:  # every hop is checked and pinned first: never happens
            raise NewConnectionError(conn, "no vetted address for this host")
        error: Exception = NewConnectionError(conn, "no address to connect to")
        for address in addresses:
            timeout = conn.timeout
            remaining = self.deadline.remaining()
            if remaining <= 0:
                raise ConnectTimeoutError(conn, "the fetch deadline passed")
            if not isinstance(timeout, int | float) or timeout > remaining:
                timeout = remaining
            try:
                sock = urllib3_connection.create_connection(
                    (address, conn.port),
                    timeout,
                    source_address=conn.source_address,
                    socket_options=conn.socket_options,
                )
            except TimeoutError as exc:
                error = ConnectTimeoutError(conn, f"no connection to {conn.host} in time")
                error.__cause__ = exc
                continue
            except OSError as exc:
                error = NewConnectionError(conn, f"Failed to establish a new connection: {exc}")
                continue
            self.deadline.watch(sock)
            return sock
        raise error


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _check_scheme(url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(f"only http and https addresses can be fetched, not {scheme or url!r}")


def _check_destination(url: str) -> tuple[str, ...]:
    """Refuse private network addresses, on every hop (a redirect may lead there);
    the addresses to connect to, vetted."""
    try:
        return net.check_url(url)
    except net.DestinationError as error:
        raise FetchError(str(error)) from error


def _describe(error: requests.RequestException, limits: FetchLimits) -> str:
    """A short message instead of urllib3's nested reprs."""
    text = str(error)
    if isinstance(error, requests.ConnectTimeout):
        return f"timed out: no connection within {limits.connect_timeout:g} s"
    if isinstance(error, requests.ReadTimeout) or "timed out" in text.lower():
        return f"timed out: the server sent nothing for {limits.read_timeout:g} s"
    if isinstance(error, requests.exceptions.SSLError):
        return "TLS error (invalid or untrusted certificate)"
    if isinstance(error, requests.ConnectionError):
        return "could not connect to the server"
    return f"request failed: {text[:200]}"


def _too_slow(limits: FetchLimits) -> FetchError:
    return FetchError(f"too slow: not downloaded within {limits.deadline:g} s")


def _read_body(response: requests.Response, limits: FetchLimits, deadline: Deadline) -> bytes:
    """Stream the body, stopping as soon as it is too big or too slow.

    The declared Content-Length is checked first (cheap), then the decoded bytes as
    they arrive: a gzip bomb or a server that lies about the length is cut off too.
    A body that ended because the deadline shut the connection is not a body.
    """
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise FetchError(
            f"feed too large: {_megabytes(int(declared))} (limit {_megabytes(limits.max_bytes)})"
        )
    chunks: list[bytes] = []
    total = 0
    for chunk in response.iter_content(CHUNK_SIZE):
        total += len(chunk)
        if total > limits.max_bytes:
            raise FetchError(
                f"feed too large: more than {_megabytes(limits.max_bytes)} (download stopped)"
            )
        if deadline.expired:
            raise _too_slow(limits)
        chunks.append(chunk)
    if deadline.expired:
        raise _too_slow(limits)
    return b"".join(chunks)


def fetch_feed(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    limits: FetchLimits | None = None,
) -> FetchResult:
    """GET ``url`` conditionally; raise :class:`FetchError` with a readable message.

    Redirects are followed by hand so that each hop is checked (scheme, destination
    address, loops, count); the deadline covers the whole fetch, redirects included.
    """
    limits = limits or FetchLimits.from_settings()
    deadline = Deadline(limits.deadline)
    try:
        return _fetch(url, etag, last_modified, limits, deadline)
    except FetchError:
        raise
    except Exception as error:
        # Whatever a shut-down socket raised (a requests, urllib3, TLS or OS error), or
        # a connection attempt cut short because the deadline was near.
        if deadline.expired or deadline.remaining() <= 0:
            raise _too_slow(limits) from error
        if isinstance(error, requests.RequestException):
            raise FetchError(_describe(error, limits)) from error
        raise
    finally:
        deadline.close()


def _fetch(
    url: str, etag: str, last_modified: str, limits: FetchLimits, deadline: Deadline
) -> FetchResult:
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    adapter = GuardedAdapter(deadline)
    with requests.Session() as http:
        http.trust_env = False  # no proxy from the environment, no .netrc credentials
        http.mount("http://", adapter)
        http.mount("https://", adapter)
        visited: list[str] = []
        current = url
        for _hop in range(limits.max_redirects + 1):
            _check_scheme(current)
            addresses = _check_destination(current)
            adapter.pin(net.url_host(current), addresses)
            remaining = deadline.remaining()
            if remaining <= 0 or deadline.expired:
                raise _too_slow(limits)
            response = http.get(
                current,
                headers=headers,
                # The deadline's timer ends the reads; the read timeout is silence only.
                timeout=(min(limits.connect_timeout, remaining), limits.read_timeout),
                stream=True,
                allow_redirects=False,
            )
            with response:
                if deadline.expired:
                    raise _too_slow(limits)
                if response.is_redirect:
                    target = urljoin(current, response.headers["Location"])
                    visited.append(current)
                    if target in visited:
                        raise FetchError(f"redirect loop: {' → '.join([*visited, target])}")
                    current = target
                    continue
                status = response.status_code
                if status == 304:
                    return FetchResult(304, b"", response.headers, current)
                if not 200 <= status < 300:
                    raise FetchError(f"HTTP {status} {response.reason or ''}".strip())
                body = _read_body(response, limits, deadline)
                return FetchResult(status, body, response.headers, current)
        raise FetchError(f"too many redirects (more than {limits.max_redirects})")
