"""Fixtures of the watch tests."""

# --- Ingestion: a real HTTP server serving feeds (tests/watch/test_ingest_*.py) ------

import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

FEEDS_DIR = Path(__file__).parent / "feeds"


@dataclass
class Route:
    """What the server answers on one path. ``{BASE}`` in a body becomes the server's
    address, so fixture files can link to the server itself."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    send_length: bool = True
    # Seconds between two bytes of the body (a slow-drip server), and whether the
    # status line and headers drip too.
    trickle: float = 0.0
    trickle_headers: bool = False
    # Custom answer: request headers -> (status, headers, body).
    respond: Callable[[dict[str, str]], tuple[int, dict[str, str], bytes]] | None = None


class FeedServer:
    """A ThreadingHTTPServer on 127.0.0.1 (free port) that records what it was asked."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.stopping = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def serve(
        self,
        path: str,
        body: bytes | None = None,
        *,
        file: str = "",
        content_type: str = "application/rss+xml; charset=utf-8",
        **options,
    ) -> str:
        data = (FEEDS_DIR / file).read_bytes() if file else (body or b"")
        headers = {"Content-Type": content_type, **options.pop("headers", {})}
        self.routes[path] = Route(
            data.replace(b"{BASE}", self.base.encode()), headers=headers, **options
        )
        return self.url(path)

    def redirect(self, path: str, to: str, status: int = 302) -> str:
        self.routes[path] = Route(status=status, headers={"Location": to})
        return self.url(path)

    def headers_sent_to(self, path: str) -> list[dict[str, str]]:
        return [headers for requested, headers in self.requests if requested == path]

    def paths_requested(self) -> list[str]:
        return [path for path, _ in self.requests]


def _handler_for(server: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 -- the name http.server calls
            server.requests.append((self.path, dict(self.headers.items())))
            route = server.routes.get(self.path)
            if route is None:
                self.send_error(404, "Not Found")
                return
            # Sleep in small steps, so that the server stops promptly after a test.
            until = time.monotonic() + route.delay
            while time.monotonic() < until and not server.stopping.is_set():
                time.sleep(0.05)
            if server.stopping.is_set():
                return
            status, headers, body = route.status, route.headers, route.body
            if route.respond:
                status, headers, body = route.respond(dict(self.headers.items()))
            if route.trickle_headers:
                lines = [f"HTTP/1.1 {status} OK", *(f"{k}: {v}" for k, v in headers.items())]
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.drip("\r\n".join([*lines, "", ""]).encode() + body, route.trickle)
                return
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if route.send_length:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            # The client may hang up early (size limit): what the test wants.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                if route.trickle:
                    self.drip(body, route.trickle)
                else:
                    self.wfile.write(body)

        def drip(self, data: bytes, pause: float) -> None:
            """Send ``data`` one byte every ``pause`` seconds, until the server stops."""
            for index in range(len(data)):
                if server.stopping.wait(pause):
                    return
                self.wfile.write(data[index : index + 1])

        def log_message(self, format, *args):  # noqa: A002 -- silence the access log
            pass

    return Handler


@contextlib.contextmanager
def running_feed_server():
    """A FeedServer answering on its own port until the block ends."""
    server = FeedServer()
    thread = threading.Thread(target=server.httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.httpd.shutdown()
        server.httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture
def feed_server():
    with running_feed_server() as server:
        yield server


@pytest.fixture
def fast_fetch_limits(settings):
    """Tight limits, so the slow and huge feeds fail in about a second."""
    settings.COBIOE_WATCH_CONNECT_TIMEOUT = 2
    settings.COBIOE_WATCH_READ_TIMEOUT = 0.5
    settings.COBIOE_WATCH_FETCH_DEADLINE = 5
    settings.COBIOE_WATCH_MAX_FEED_BYTES = 200_000
    settings.COBIOE_WATCH_MAX_REDIRECTS = 5


# --- end of the ingestion fixtures ------------------------------------------------------
