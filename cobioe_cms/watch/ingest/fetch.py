"""Download a feed over HTTP without trusting the server.

Feeds are other people's servers: they may be slow, huge, redirect forever or point
to another scheme or to our own private network. Every fetch is bounded (connect and
read timeouts, an overall deadline while streaming, a body size limit, a redirect
limit, http/https only, public addresses only: see ``cobioe_cms.watch.net``) and
conditional (ETag / Last-Modified), so a source that did not change costs one 304.
Limits come from settings (``COBIOE_WATCH_*``) so tests and sites can tighten them.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings

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
        defaults = cls()
        return cls(
            connect_timeout=getattr(
                settings, "COBIOE_WATCH_CONNECT_TIMEOUT", defaults.connect_timeout
            ),
            read_timeout=getattr(settings, "COBIOE_WATCH_READ_TIMEOUT", defaults.read_timeout),
            deadline=getattr(settings, "COBIOE_WATCH_FETCH_DEADLINE", defaults.deadline),
            max_bytes=getattr(settings, "COBIOE_WATCH_MAX_FEED_BYTES", defaults.max_bytes),
            max_redirects=getattr(settings, "COBIOE_WATCH_MAX_REDIRECTS", defaults.max_redirects),
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


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _check_scheme(url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(f"only http and https addresses can be fetched, not {scheme or url!r}")


def _check_destination(url: str) -> None:
    """Refuse private network addresses, on every hop (a redirect may lead there)."""
    try:
        net.check_url(url)
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


def _read_body(response: requests.Response, limits: FetchLimits, deadline: float) -> bytes:
    """Stream the body, stopping as soon as it is too big or too slow.

    The declared Content-Length is checked first (cheap), then the decoded bytes as
    they arrive: a gzip bomb or a server that lies about the length is cut off too.
    """
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise FetchError(
            f"feed too large: {_megabytes(int(declared))} (limit {_megabytes(limits.max_bytes)})"
        )
    chunks: list[bytes] = []
    total = 0
    try:
        for chunk in response.iter_content(CHUNK_SIZE):
            total += len(chunk)
            if total > limits.max_bytes:
                raise FetchError(
                    f"feed too large: more than {_megabytes(limits.max_bytes)} (download stopped)"
                )
            if time.monotonic() > deadline:
                raise FetchError(f"too slow: not downloaded within {limits.deadline:g} s")
            chunks.append(chunk)
    except requests.RequestException as error:
        raise FetchError(_describe(error, limits)) from error
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
    address, loops, count).
    """
    limits = limits or FetchLimits.from_settings()
    deadline = time.monotonic() + limits.deadline
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    http = requests.Session()
    visited: list[str] = []
    current = url
    try:
        for _hop in range(limits.max_redirects + 1):
            _check_scheme(current)
            _check_destination(current)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FetchError(f"too slow: not downloaded within {limits.deadline:g} s")
            try:
                response = http.get(
                    current,
                    headers=headers,
                    timeout=(limits.connect_timeout, min(limits.read_timeout, remaining)),
                    stream=True,
                    allow_redirects=False,
                )
            except requests.RequestException as error:
                raise FetchError(_describe(error, limits)) from error
            with response:
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
    finally:
        http.close()
