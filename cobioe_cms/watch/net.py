"""Keep the watch's fetches on the public internet (a guard against SSRF).

Editors type feed addresses; the server fetches them. Without a guard an address such
as ``http://169.254.169.254/`` (cloud metadata), ``http://127.0.0.1:5432/`` or
``http://10.0.0.5/`` would make the server reach its own private network. Two checks:

* :func:`check_url`, at fetch time, on every redirect hop: the host is resolved and
  the fetch is refused when any address is not public. This is the real protection,
  since a name's addresses can change after the source was saved.
* :func:`private_host`, at validation time (``Source.clean``): ``localhost`` or a
  literal private IP is refused at once, without DNS (slow, and not final anyway).

Both are off when ``COBIOE_WATCH_ALLOW_PRIVATE_SOURCES`` is true (the test suite serves
its feeds from 127.0.0.1). Hosts are read with urllib3's parser, the one that decides
where requests connects: ``http://127.0.0.1\\@example.org/`` goes to 127.0.0.1 although
``urllib.parse`` reads ``example.org``.

:func:`check_url` returns the addresses it vetted, and the fetch connects to those
addresses only (``cobioe_cms.watch.ingest.fetch``), never resolving the name again: a
DNS server answering differently a moment later (rebinding) changes nothing. Refusals
name the host an editor typed but never the private address it resolves to (that
would tell editors about the internal network); the address goes to the server log.
"""

from __future__ import annotations

import ipaddress
import logging
import socket

from urllib3.util import parse_url

from cobioe_cms.core.conf import conf

logger = logging.getLogger("cobioe_cms.watch")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# RFC 6598 shared address space (carrier-grade NAT). Not reachable from the internet,
# and some clouds put services there (Alibaba's metadata is 100.100.100.200): refused.
SHARED_ADDRESS_SPACE = ipaddress.IPv4Network("100.64.0.0/10")
# RFC 6052 NAT64 prefix: on an IPv6-only host with DNS64 every IPv4 site resolves to
# 64:ff9b::<IPv4>, so it is judged by the IPv4 address it carries.
NAT64_PREFIX = ipaddress.IPv6Network("64:ff9b::/96")


class DestinationError(Exception):
    """The address must not, or cannot, be fetched; the message is meant for editors."""


def private_sources_allowed() -> bool:
    """Read at call time, so that tests and sites can switch it."""
    return bool(conf.WATCH_ALLOW_PRIVATE_SOURCES)


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, NAT64), if any."""
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip in NAT64_PREFIX:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def non_public_kind(address: str | IPAddress) -> str | None:
    """Why ``address`` is not a public internet address ("loopback", "link-local"…),
    or None when it is public and may be fetched."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            return non_public_kind(embedded)
        if ip.sixtofour is not None and (inner := non_public_kind(ip.sixtofour)):
            return f"6to4, {inner}"
    checks = [
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("shared address space", ip in SHARED_ADDRESS_SPACE),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
        ("not globally routable", not ip.is_global),
    ]
    return next((kind for kind, matches in checks if matches), None)


def url_host(url: str) -> str:
    """The host requests will connect to: lowercase, without brackets or final dot.

    Raises ``ValueError`` when the address cannot be parsed.
    """
    host = parse_url(url).host or ""
    return host.strip("[]").rstrip(".").lower()


def _is_localhost(host: str) -> bool:
    return host == "localhost" or host.endswith(".localhost")  # RFC 6761


def private_host(url: str) -> str | None:
    """The host of ``url`` when it is ``localhost`` or a literal non-public IP address.

    No DNS: names are left to :func:`check_url` at fetch time.
    """
    try:
        host = url_host(url)
    except ValueError:
        return None  # the URL field reports malformed addresses
    if _is_localhost(host):
        return host
    try:
        return host if non_public_kind(host) else None
    except ValueError:
        return None  # a name, not an address


def _refusal(address: str, host: str, kind: str) -> DestinationError:
    if address == host:  # the editor typed the address: naming it tells nothing new
        message = f"refused: the address {address} is on a private network"
        return DestinationError(message if kind == "private" else f"{message} ({kind})")
    # What an internal name resolves to is for the server's log, not for editors.
    logger.warning("Watch fetch refused: %s resolves to %s (%s)", host, address, kind)
    return DestinationError(f"refused: {host} resolves to a private or reserved address")


def check_url(url: str) -> tuple[str, ...]:
    """The addresses of the URL's host, once all are known to be public.

    Called before each request, redirects included; the request then connects to
    these addresses only. Raises :class:`DestinationError` when a name has any
    address that is not public (the client may connect to any of them), or cannot be
    resolved. With ``COBIOE_WATCH_ALLOW_PRIVATE_SOURCES`` the addresses are returned
    unchecked. A literal IP address is its own answer (no DNS).
    """
    allowed = private_sources_allowed()
    try:
        parsed = parse_url(url)
        host = url_host(url)
    except ValueError as error:
        raise DestinationError(f"invalid address: {url[:200]}") from error
    if not host:
        raise DestinationError(f"no host name in {url[:200]}")
    if _is_localhost(host) and not allowed:
        raise DestinationError(f"refused: {host} is this server, on a private network (loopback)")
    try:
        ipaddress.ip_address(host)
        addresses: tuple[str, ...] = (host,)
    except ValueError:
        addresses = _resolve(host, parsed.port or (443 if parsed.scheme == "https" else 80))
    if not allowed:
        for address in addresses:
            kind = non_public_kind(address)
            if kind:
                raise _refusal(address, host, kind)
    return addresses


def _resolve(host: str, port: int) -> tuple[str, ...]:
    """The host's addresses, in the resolver's order, each once."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise DestinationError(f"could not resolve the host name {host}") from error
    # Drop an IPv6 scope ("fe80::1%eth0"): the address is what is judged.
    addresses = dict.fromkeys(sockaddr[0].split("%", 1)[0] for *_, sockaddr in infos)
    if not addresses:
        raise DestinationError(f"could not resolve the host name {host}")
    return tuple(addresses)
