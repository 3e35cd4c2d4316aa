"""Ingestion over real HTTP from a local server: what is stored, what is logged, and
the sources' health, for good, broken, hostile and duplicate feeds."""

import datetime
import logging

import pytest

from cobioe_cms.core.models import Modality, TherapeuticArea
from cobioe_cms.watch.ingest.run import ingest_all, ingest_source
from cobioe_cms.watch.models import Source, WatchItem
from tests.factories import ActorPageFactory, SourceFactory

from .conftest import FEEDS_DIR

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_fetch_limits")]

WATCH_LOGGER = "cobioe_cms.watch"


@pytest.fixture
def rules(db):
    """Editors' keywords: a modality synonym and a French keyword."""
    Modality.objects.filter(slug="monoclonal-antibodies").update(keywords="mAb\nanticorps")
    TherapeuticArea.objects.filter(slug="oncology").update(keywords="cancer\ncancérologie")


@pytest.fixture
def actors(cartography):
    return {
        "genopole": ActorPageFactory(parent=cartography, title="Genopole", country="FR"),
        "asbx": ActorPageFactory(
            parent=cartography, title="Ascendis Bioprocess", acronym="ASBX", country="IE"
        ),
    }


def slugs(related) -> set[str]:
    return set(related.values_list("slug", flat=True))


def test_valid_rss_is_stored_cleaned_and_classified(feed_server, rules, actors, caplog):
    source = SourceFactory(url=feed_server.serve("/rss.xml", file="valid_rss.xml"))
    caplog.set_level(logging.INFO, logger=WATCH_LOGGER)

    report = ingest_source(source)

    assert (report.status, report.new, report.known) == ("ok", 3, 0)
    items = {item.title: item for item in WatchItem.objects.filter(source=source)}
    assert set(items) == {
        "Genopole opens a mAb pilot plant in Évry",
        "Nouvelle usine de vaccins en cancérologie près de Lyon",
        "Funding round without a date",
    }  # the entry linking to javascript: is dropped
    plant = items["Genopole opens a mAb pilot plant in Évry"]
    assert plant.url == "https://news.example.org/articles/42"  # utm_* removed
    assert plant.summary == "The biocluster in France adds « clinical » capacity."  # no script
    assert plant.published_at == datetime.datetime(2026, 11, 24, 8, 30, tzinfo=datetime.UTC)
    assert slugs(plant.modalities) == {"monoclonal-antibodies"}  # synonym "mAb"
    assert list(plant.actors.all()) == [actors["genopole"]]
    assert plant.countries == ["FR"]
    assert plant.title_key == "genopole opens mab pilot plant evry"
    assert "genopole opens a mab pilot plant in evry" in plant.keywords_text
    assert plant.language == "en" and plant.guid == "news-42"

    french = items["Nouvelle usine de vaccins en cancérologie près de Lyon"]
    assert slugs(french.modalities) == {"vaccines"}  # French label
    assert slugs(french.therapeutic_areas) == {"oncology"}  # French keyword
    # "production de lots cliniques" is a sub-stage: its parent comes with it.
    assert {"clinical-manufacturing", "production"} <= slugs(french.stages)
    assert sorted(c.code for c in french.countries) == ["BE", "CH"]

    undated = items["Funding round without a date"]
    assert undated.url == feed_server.url("/articles/44")  # relative link resolved
    assert abs(undated.published_at - source.last_fetched_at) < datetime.timedelta(seconds=5)

    source.refresh_from_db()
    assert source.items_fetched == 3 and source.consecutive_failures == 0
    assert source.last_success_at == source.last_fetched_at and source.last_error == ""
    assert "3 new" in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    user_agent = feed_server.headers_sent_to("/rss.xml")[0]["User-Agent"]
    assert user_agent.startswith("COBIOE-watch/")


def test_atom_feed_and_utm_duplicate_of_a_known_url(feed_server, rules, actors):
    rss = SourceFactory(url=feed_server.serve("/rss.xml", file="valid_rss.xml"))
    atom = SourceFactory(
        url=feed_server.serve(
            "/atom.xml", file="valid_atom.xml", content_type="application/atom+xml"
        ),
        language=Source.Language.OTHER,
    )
    ingest_source(rss)

    report = ingest_source(atom)

    # The relayed article has the same canonical URL as the RSS one: not stored twice.
    assert (report.new, report.known) == (1, 1)
    assert WatchItem.objects.filter(url="https://news.example.org/articles/42").count() == 1
    item = WatchItem.objects.get(source=atom)
    assert item.title == "Thérapies géniques : l’ASBX double sa capacité"  # HTML stripped
    assert item.summary == "Le site de Cork en Irlande…"
    assert item.language == "fr"  # source language "other": the feed's own
    assert item.published_at == datetime.datetime(2026, 11, 26, 6, 45, tzinfo=datetime.UTC)
    assert list(item.actors.all()) == [actors["asbx"]]  # by acronym
    assert item.countries == ["IE"]  # French country name


def test_source_default_topics_are_added_to_every_item(feed_server):
    source = SourceFactory(url=feed_server.serve("/a.xml", file="source_a.xml"), countries=["PT"])
    source.therapeutic_areas.set(TherapeuticArea.objects.filter(slug="oncology"))

    ingest_source(source)

    item = WatchItem.objects.get(source=source)
    assert slugs(item.therapeutic_areas) == {"oncology"}
    assert item.countries == ["PT"]


def test_same_article_in_two_sources_points_to_the_first(feed_server):
    first = SourceFactory(url=feed_server.serve("/a.xml", file="source_a.xml"))
    second = SourceFactory(url=feed_server.serve("/b.xml", file="source_b.xml"))

    reports = ingest_all()

    assert [(r.source, r.new, r.duplicates) for r in reports] == [("a.xml", 1, 0), ("b.xml", 2, 1)]
    original = WatchItem.objects.get(source=first)
    copy = WatchItem.objects.get(url="https://outlet-b.example.net/news/12345")
    assert copy.duplicate_of == original
    # Same title a year earlier: another story, not a duplicate.
    older = WatchItem.objects.get(url="https://outlet-b.example.net/archive/2025")
    assert older.duplicate_of is None
    assert second.items.count() == 2


def test_the_first_source_keeps_the_original_even_when_it_answers_last(feed_server):
    """Sources download concurrently, but are stored in their order: which copy is the
    original does not depend on which server answered first."""
    first = SourceFactory(url=feed_server.serve("/a.xml", file="source_a.xml", delay=0.3))
    SourceFactory(url=feed_server.serve("/b.xml", file="source_b.xml"))

    reports = ingest_all()

    assert [(r.source, r.new, r.duplicates) for r in reports] == [("a.xml", 1, 0), ("b.xml", 2, 1)]
    copy = WatchItem.objects.get(url="https://outlet-b.example.net/news/12345")
    assert copy.duplicate_of == WatchItem.objects.get(source=first)


def test_second_ingestion_stores_nothing_new(feed_server):
    source = SourceFactory(url=feed_server.serve("/rss.xml", file="valid_rss.xml"))
    ingest_source(source)

    report = ingest_source(source)

    assert (report.new, report.known) == (0, 3)
    assert WatchItem.objects.count() == 3
    source.refresh_from_db()
    assert source.items_fetched == 3


def test_conditional_get_with_etag_and_last_modified(feed_server):
    body = (FEEDS_DIR / "source_a.xml").read_bytes()
    etag, modified = '"v1"', "Mon, 23 Nov 2026 08:00:00 GMT"

    def respond(headers):
        if headers.get("If-None-Match") == etag:
            return 304, {"ETag": etag}, b""
        return 200, {"ETag": etag, "Last-Modified": modified}, body

    source = SourceFactory(url=feed_server.serve("/etag.xml", respond=respond))

    assert ingest_source(source).new == 1
    assert (source.etag, source.last_modified) == (etag, modified)
    report = ingest_source(source)

    assert report.status == "not modified" and report.new == 0
    first, second = feed_server.headers_sent_to("/etag.xml")
    assert "If-None-Match" not in first
    assert second["If-None-Match"] == etag and second["If-Modified-Since"] == modified
    source.refresh_from_db()
    assert source.consecutive_failures == 0 and source.items_fetched == 1
    assert source.etag == etag  # kept after a 304


def test_malformed_feed_keeps_what_can_be_read_and_warns(feed_server, caplog):
    source = SourceFactory(
        url=feed_server.serve("/broken.xml", file="malformed.xml"), name="Broken"
    )

    report = ingest_source(source)

    titles = set(WatchItem.objects.values_list("title", flat=True))
    assert "First item survives a broken feed" in titles
    assert report.status == "ok" and report.new == len(titles) >= 1
    warnings = [
        r for r in caplog.records if r.name == WATCH_LOGGER and r.levelno == logging.WARNING
    ]
    assert len(warnings) == 1 and "kept what could be read" in warnings[0].getMessage()
    assert "'Broken'" in warnings[0].getMessage()
    source.refresh_from_db()
    assert source.last_success_at is not None and source.consecutive_failures == 0


@pytest.mark.parametrize(
    ("file", "content_type", "title"),
    [
        # ISO-8859-1 declared in the XML prolog, and a header that says UTF-8.
        ("latin1.xml", "application/rss+xml", "Thérapie génique à Évry : une levée de fonds"),
        ("latin1.xml", "text/xml; charset=utf-8", "Thérapie génique à Évry : une levée de fonds"),
        # UTF-8 without a declaration, served as Windows-1252 HTML.
        (
            "utf8_no_declaration.xml",
            "text/html; charset=windows-1252",
            "Protéines recombinantes : l’usine de Gand s’agrandit",
        ),
    ],
)
def test_charsets_are_decoded_right(feed_server, file, content_type, title):
    source = SourceFactory(url=feed_server.serve("/feed.xml", file=file, content_type=content_type))

    report = ingest_source(source)

    assert report.status == "ok"
    assert list(WatchItem.objects.values_list("title", flat=True)) == [title]


def assert_failed(source: Source, report, message: str, caplog) -> None:
    """Nothing stored, the error on the source and in the log."""
    assert report.status == "error" and message in report.error
    assert not WatchItem.objects.exists()
    source.refresh_from_db()
    assert message in source.last_error
    assert source.last_error_at == source.last_fetched_at is not None
    assert source.last_success_at is None and source.consecutive_failures == 1
    errors = [r for r in caplog.records if r.name == WATCH_LOGGER and r.levelno == logging.ERROR]
    assert len(errors) == 1 and message in errors[0].getMessage()
    assert source.name in errors[0].getMessage()


@pytest.mark.parametrize(
    ("route", "message"),
    [
        ({"file": "billion_laughs.xml"}, "unsafe XML (entity declarations"),
        ({"file": "external_entity.xml"}, "unsafe XML (entity declarations"),
        ({"file": "not_a_feed.html", "content_type": "text/html"}, "not an RSS or Atom feed"),
        ({"body": b"", "content_type": "application/rss+xml"}, "empty document"),
        ({"body": b"Gone", "status": 410}, "HTTP 410 Gone"),
    ],
    ids=["billion-laughs", "external-entity", "html-page", "empty", "http-410"],
)
def test_rejected_documents(feed_server, caplog, route, message):
    source = SourceFactory(url=feed_server.serve("/feed.xml", **route))

    report = ingest_source(source)

    assert_failed(source, report, message, caplog)
    # The external DTD was never fetched: only the feed itself was requested.
    assert feed_server.paths_requested() == ["/feed.xml"]


@pytest.mark.parametrize("send_length", [True, False], ids=["declared", "streamed"])
def test_huge_feed_is_refused(feed_server, caplog, send_length):
    item = b"<item><title>Padding</title><link>https://huge.example.com/%d</link></item>"
    body = b'<rss version="2.0"><channel>' + b"".join(item % n for n in range(20_000))
    source = SourceFactory(url=feed_server.serve("/huge.xml", body, send_length=send_length))

    report = ingest_source(source)

    assert_failed(source, report, "feed too large", caplog)


def test_slow_feed_times_out(feed_server, caplog):
    source = SourceFactory(url=feed_server.serve("/slow.xml", file="source_a.xml", delay=3))

    report = ingest_source(source)

    assert_failed(source, report, "timed out", caplog)


def test_redirect_loop_and_too_many_redirects(feed_server, caplog):
    feed_server.redirect("/loop-a", "/loop-b")
    feed_server.redirect("/loop-b", feed_server.url("/loop-a"), status=301)
    for hop in range(7):
        feed_server.redirect(f"/hop/{hop}", f"/hop/{hop + 1}")
    loop = SourceFactory(url=feed_server.url("/loop-a"), name="Loop")
    chain = SourceFactory(url=feed_server.url("/hop/0"), name="Chain")

    assert_failed(loop, ingest_source(loop), "redirect loop", caplog)
    caplog.clear()
    assert "/loop-a → " in loop.last_error
    assert_failed(chain, ingest_source(chain), "too many redirects", caplog)
    assert feed_server.paths_requested().count("/hop/5") == 1
    assert "/hop/6" not in feed_server.paths_requested()


def test_redirects_are_followed_within_the_limit(feed_server):
    feed_server.serve("/new-home.xml", file="source_a.xml")
    source = SourceFactory(url=feed_server.redirect("/old.xml", "/new-home.xml", status=301))

    assert ingest_source(source).new == 1


def test_redirect_to_another_scheme_is_refused(feed_server, caplog):
    source = SourceFactory(url=feed_server.redirect("/file", "file:///etc/passwd"))

    assert_failed(source, ingest_source(source), "only http and https", caplog)


def test_one_broken_source_never_stops_the_others(feed_server, caplog, monkeypatch):
    good = SourceFactory(url=feed_server.serve("/a.xml", file="source_a.xml"), name="A good one")
    hostile = SourceFactory(url=feed_server.serve("/lol.xml", file="billion_laughs.xml"), name="B")
    down = SourceFactory(url="http://127.0.0.1:9/feed.xml", name="C unreachable")
    crashing = SourceFactory(url=feed_server.serve("/crash.xml", file="valid_rss.xml"), name="D")
    also_good = SourceFactory(url=feed_server.serve("/atom.xml", file="valid_atom.xml"), name="E")
    SourceFactory(url=feed_server.serve("/off.xml", file="source_b.xml"), name="F", active=False)

    from cobioe_cms.watch.ingest import run

    real_parse = run.parse_feed

    def parse_or_crash(body, **kwargs):
        if kwargs["url"].endswith("/crash.xml"):
            raise RuntimeError("a bug on a strange entry")
        return real_parse(body, **kwargs)

    monkeypatch.setattr(run, "parse_feed", parse_or_crash)

    reports = {report.source: report for report in ingest_all()}

    assert set(reports) == {"A good one", "B", "C unreachable", "D", "E"}  # F is inactive
    assert [reports[name].status for name in ("A good one", "E")] == ["ok", "ok"]
    assert good.items.count() == 1 and also_good.items.count() == 2
    for source, message in [
        (hostile, "unsafe XML"),
        (down, "could not connect"),
        (crashing, "unexpected error: RuntimeError: a bug on a strange entry"),
    ]:
        source.refresh_from_db()
        assert message in source.last_error and source.consecutive_failures == 1
        assert not source.items.exists()
    crash_log = next(r for r in caplog.records if "crashed" in r.getMessage())
    assert crash_log.exc_info is not None  # traceback kept for developers
    assert not Source.objects.get(name="F").items.exists()


def test_failures_are_counted_and_reset_by_a_success(feed_server):
    url = feed_server.serve("/flaky.xml", b"oops", status=503)
    source = SourceFactory(url=url)
    ingest_source(source)
    ingest_source(source)
    assert source.consecutive_failures == 2 and "HTTP 503" in source.last_error

    feed_server.serve("/flaky.xml", file="source_a.xml")
    ingest_source(source)

    source.refresh_from_db()
    assert source.consecutive_failures == 0 and source.items_fetched == 1
    assert source.last_success_at > source.last_error_at  # the last error stays visible
