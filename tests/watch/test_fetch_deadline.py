"""Slow-drip feeds: the fetch deadline holds whatever the server does, and one slow
source never delays the others (security review, issue 9 item 9).

A real local server sends its answer one byte at a time, each byte well within the
read timeout: read timeouts alone would let it hold a fetch for as long as it likes.
"""

import time

import pytest

from cobioe_cms.watch.ingest.fetch import FetchError, fetch_feed
from cobioe_cms.watch.ingest.run import ingest_all, ingest_source
from cobioe_cms.watch.models import Source
from tests.factories import SourceFactory

from .conftest import FEEDS_DIR

pytestmark = pytest.mark.django_db

DEADLINE = 2
# One byte every quarter of a second: always well within the read timeout below.
DRIP = 0.25
# A feed that would take over 40 minutes to arrive at that pace.
ENDLESS = (FEEDS_DIR / "source_a.xml").read_bytes() + b"<!-- " + b"." * 10_000 + b" -->"


@pytest.fixture
def drip_limits(settings):
    """A 2 s deadline; read timeouts far longer than the pause between two bytes."""
    settings.COBIOE_WATCH_CONNECT_TIMEOUT = 2
    settings.COBIOE_WATCH_READ_TIMEOUT = 5
    settings.COBIOE_WATCH_FETCH_DEADLINE = DEADLINE
    settings.COBIOE_WATCH_FETCH_CONCURRENCY = 4


def timed(function, *args, **kwargs):
    started = time.monotonic()
    result = function(*args, **kwargs)
    return result, time.monotonic() - started


def assert_cut_at_the_deadline(source: Source, report, elapsed: float) -> None:
    assert DEADLINE - 0.2 <= elapsed < DEADLINE + 1, elapsed
    assert report.status == "error"
    source.refresh_from_db()
    assert source.last_error == f"too slow: not downloaded within {DEADLINE} s"
    assert source.consecutive_failures == 1 and source.last_error_at is not None
    assert not source.items.exists() and source.last_success_at is None


@pytest.mark.usefixtures("drip_limits")
def test_a_body_dripping_one_byte_at_a_time_is_cut_at_the_deadline(feed_server):
    source = SourceFactory(url=feed_server.serve("/drip.xml", ENDLESS, trickle=DRIP), name="Drip")

    report, elapsed = timed(ingest_source, source)

    assert feed_server.paths_requested() == ["/drip.xml"]  # the server did answer
    assert_cut_at_the_deadline(source, report, elapsed)


@pytest.mark.usefixtures("drip_limits")
def test_headers_dripping_one_byte_at_a_time_are_cut_at_the_deadline(feed_server):
    url = feed_server.serve("/slow-head.xml", ENDLESS, trickle=DRIP, trickle_headers=True)
    source = SourceFactory(url=url, name="Slow headers")

    report, elapsed = timed(ingest_source, source)

    assert feed_server.paths_requested() == ["/slow-head.xml"]
    assert_cut_at_the_deadline(source, report, elapsed)


@pytest.mark.usefixtures("drip_limits")
def test_the_deadline_covers_the_whole_fetch_redirects_included(feed_server):
    """Each hop answers within the read timeout; together they pass the deadline."""
    feed_server.serve("/late.xml", file="source_a.xml", delay=1.2)
    hop = feed_server.serve(
        "/hop", status=302, headers={"Location": "/late.xml"}, delay=1.2, send_length=False
    )

    started = time.monotonic()
    with pytest.raises(FetchError, match=f"too slow: not downloaded within {DEADLINE} s"):
        fetch_feed(hop)
    assert DEADLINE - 0.2 <= time.monotonic() - started < DEADLINE + 1
    assert feed_server.paths_requested() == ["/hop", "/late.xml"]


@pytest.mark.usefixtures("drip_limits")
def test_slow_sources_never_delay_the_others(feed_server):
    drips = [
        SourceFactory(
            url=feed_server.serve(f"/drip-{n}.xml", ENDLESS, trickle=DRIP), name=f"Drip {n}"
        )
        for n in (1, 2)
    ]
    normal = SourceFactory(url=feed_server.serve("/normal.xml", file="source_b.xml"), name="Normal")

    reports, elapsed = timed(ingest_all)

    # One after another, the two drips alone would take twice the deadline.
    assert elapsed < DEADLINE + 1.5, elapsed
    assert [report.source for report in reports] == ["Drip 1", "Drip 2", "Normal"]
    assert [report.status for report in reports] == ["error", "error", "ok"]
    normal.refresh_from_db()
    assert normal.items.count() == reports[2].new > 0
    assert normal.last_error == "" and normal.last_success_at is not None
    for source in drips:
        source.refresh_from_db()
        assert source.last_error == f"too slow: not downloaded within {DEADLINE} s"
        assert not source.items.exists()


def test_one_fetch_at_a_time_when_the_setting_says_so(settings, feed_server):
    """The concurrency setting is what makes the difference above."""
    settings.COBIOE_WATCH_READ_TIMEOUT = 5
    settings.COBIOE_WATCH_FETCH_DEADLINE = 1
    settings.COBIOE_WATCH_FETCH_CONCURRENCY = 1
    for n in (1, 2):
        SourceFactory(
            url=feed_server.serve(f"/drip-{n}.xml", ENDLESS, trickle=DRIP), name=f"Drip {n}"
        )

    reports, elapsed = timed(ingest_all)

    assert elapsed >= 2 * 1 - 0.2, elapsed
    assert [report.status for report in reports] == ["error", "error"]
