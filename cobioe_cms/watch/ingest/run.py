"""One ingestion run: fetch, parse, deduplicate, classify and store, source by source.

Sources are downloaded concurrently by a small pool of threads
(``COBIOE_WATCH_FETCH_CONCURRENCY``, default 4), each fetch within its own deadline,
so a slow source never delays the others: a run lasts about as long as its slowest
fetch, not the sum of them. The threads only download (no database access); the
bodies are parsed and stored by the calling thread in the sources' order, so database
connections and transactions stay where they always were, on SQLite and PostgreSQL.

Each source is handled inside its own try/except: whatever goes wrong with one feed
(network, size, unsafe XML, a bug on a strange entry) is recorded on that source
(``last_error``, ``consecutive_failures``) and logged to ``cobioe_cms.watch``, and the
run goes on with the next source. Items are written one by one in savepoints, so a
failing item loses only itself.
"""

from __future__ import annotations

import datetime
import logging
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from cobioe_cms.core.conf import conf
from cobioe_cms.core.text import fold
from cobioe_cms.search.tasks import schedule_sync

from ..models import Source, WatchItem
from ..search_documents import ITEMS_INDEX
from .canonical import canonical_url, title_key
from .classify import TAXONOMY_FIELDS, Classification, Classifier
from .fetch import FetchError, FetchLimits, FetchResult, fetch_feed
from .parse import MAX_URL, FeedEntry, FeedError, ParsedFeed, parse_feed

logger = logging.getLogger("cobioe_cms.watch")

# Same news from two sources is published within a few days of each other.
DUPLICATE_WINDOW = datetime.timedelta(days=3)
# Shorter title keys ("news", "press release") would pair unrelated items.
MIN_TITLE_KEY = 12
MAX_ERROR = 1000


@dataclass
class IngestReport:
    """What one source's ingestion did, for the command's output and the task result."""

    source: str
    status: str = "ok"  # "ok", "not modified" or "error"
    new: int = 0
    known: int = 0
    duplicates: int = 0
    error: str = ""
    warning: str = ""

    def __str__(self) -> str:
        if self.status == "error":
            return f"{self.source}: ERROR {self.error}"
        text = f"{self.source}: {self.status}, {self.new} new"
        text += f", {self.known} already known, {self.duplicates} duplicates"
        return text + (f" (warning: {self.warning})" if self.warning else "")


def fetch_concurrency() -> int:
    """How many sources are downloaded at the same time (at least one)."""
    return max(1, int(conf.WATCH_FETCH_CONCURRENCY))


@dataclass
class _Fetched:
    """One download's outcome, handed from a fetching thread to the storing one."""

    started: datetime.datetime
    result: FetchResult | None = None
    error: Exception | None = None


def _download(source: Source, limits: FetchLimits | None) -> _Fetched:
    """Fetch ``source``'s feed; never raises, never touches the database."""
    fetched = _Fetched(started=timezone.now())
    try:
        fetched.result = fetch_feed(
            source.url, etag=source.etag, last_modified=source.last_modified, limits=limits
        )
    except Exception as error:  # noqa: BLE001 -- reported by the storing thread
        fetched.error = error
    return fetched


def ingest_all(limits: FetchLimits | None = None) -> list[IngestReport]:
    """Ingest every active source, with one classifier built for the whole run.

    Downloads run in a thread pool; each feed is stored as soon as it and the
    feeds of the sources before it have arrived. Reports come back in that order.
    """
    classifier = Classifier.from_db()
    limits = limits or FetchLimits.from_settings()
    sources = list(Source.objects.filter(active=True).prefetch_related(*TAXONOMY_FIELDS))
    if not sources:
        return []
    reports: list[IngestReport] = []
    arrived: dict[int, _Fetched] = {}
    with ThreadPoolExecutor(
        max_workers=min(fetch_concurrency(), len(sources)), thread_name_prefix="watch-fetch"
    ) as pool:
        downloads = {
            pool.submit(_download, source, limits): index for index, source in enumerate(sources)
        }
        for future in as_completed(downloads):
            arrived[downloads[future]] = future.result()
            # Stored in the sources' order (the same article in two sources points to
            # the earlier source's copy, whichever answered first); downloading goes
            # on meanwhile, so a slow source delays only the storing of those after it,
            # never their downloads, and the run still lasts about its slowest fetch.
            while len(reports) in arrived:
                index = len(reports)
                reports.append(_ingest(sources[index], arrived.pop(index), classifier))
    return reports


def ingest_source(
    source: Source,
    *,
    classifier: Classifier | None = None,
    limits: FetchLimits | None = None,
) -> IngestReport:
    """Fetch and store one source's new items; never raises."""
    return _ingest(source, _download(source, limits), classifier)


def _ingest(source: Source, fetched: _Fetched, classifier: Classifier | None) -> IngestReport:
    """Store what one download brought (or record why it failed); never raises."""
    report = IngestReport(source=source.name)
    started = fetched.started
    try:
        if fetched.error is not None:
            raise fetched.error
        result = fetched.result
        classifier = classifier or Classifier.from_db()
        if result.not_modified:
            report.status = "not modified"
        else:
            feed = parse_feed(
                result.body, headers=result.headers, url=result.url, fetched_at=started
            )
            if feed.warning:
                report.warning = feed.warning
                logger.warning(
                    "Watch source %r: irregular feed, kept what could be read (%s)",
                    source.name,
                    feed.warning,
                )
            _store(source, feed, classifier, report)
        _record_success(source, report, result, started)
    except (FetchError, FeedError) as error:
        _record_failure(source, report, str(error), started)
        logger.error("Watch source %r (%s) failed: %s", source.name, source.url, error)
        return report
    except Exception as error:  # noqa: BLE001 -- one broken source never stops the others
        message = f"unexpected error: {type(error).__name__}: {error}"[:300]
        _record_failure(source, report, message, started)
        logger.exception("Watch source %r (%s) crashed: %s", source.name, source.url, error)
        return report
    logger.info("Watch source %s", report)
    return report


def _store(source: Source, feed: ParsedFeed, classifier: Classifier, report: IngestReport) -> None:
    defaults = _default_topics(source)
    language = source.language if source.language != Source.Language.OTHER else feed.language
    pairs = [(entry, canonical_url(entry.link)) for entry in feed.entries]
    known = set(
        WatchItem.objects.filter(url__in=[url for _, url in pairs]).values_list("url", flat=True)
    )
    new_ids: list[int] = []
    try:
        for entry, url in pairs:
            if len(url) > MAX_URL:
                continue  # too long to store as the unique key
            if url in known:
                report.known += 1
                continue
            known.add(url)
            classification = classifier.classify(f"{entry.title}\n{entry.summary}")
            try:
                with transaction.atomic():
                    item = _create_item(source, entry, url, language, classification, defaults)
            except IntegrityError:  # stored meanwhile by a concurrent run
                report.known += 1
                continue
            new_ids.append(item.pk)
            report.new += 1
            if item.duplicate_of_id:
                report.duplicates += 1
    finally:
        # One index update for the source's new items (none without a cluster), also
        # for those stored before an entry broke the run: they are in the database.
        schedule_sync(ITEMS_INDEX, new_ids)


def _default_topics(source: Source) -> Classification:
    """The topics an editor gave the source: every item of it gets them."""
    topics = Classification(countries={country.code for country in source.countries})
    for kind in TAXONOMY_FIELDS:
        getattr(topics, kind).update(term.pk for term in getattr(source, kind).all())
    return topics


def _create_item(
    source: Source,
    entry: FeedEntry,
    url: str,
    language: str,
    found: Classification,
    defaults: Classification,
) -> WatchItem:
    key = title_key(entry.title)
    item = WatchItem.objects.create(
        source=source,
        title=entry.title,
        url=url,
        guid=entry.guid,
        summary=entry.summary,
        language=language[:5],
        published_at=entry.published,
        title_key=key,
        duplicate_of=_original_of(source, key, entry.published),
        countries=sorted(found.countries | defaults.countries),
        keywords_text=fold(f"{entry.title} {entry.summary}"),
    )
    for kind in TAXONOMY_FIELDS:
        terms = getattr(found, kind) | getattr(defaults, kind)
        if terms:
            getattr(item, kind).set(terms)
    if found.actors:
        item.actors.set(found.actors)
    return item


def _original_of(source: Source, key: str, published: datetime.datetime) -> WatchItem | None:
    """The earliest item of another source with the same title key, a few days apart."""
    if len(key) < MIN_TITLE_KEY:
        return None
    return (
        WatchItem.objects.filter(
            title_key=key,
            duplicate_of__isnull=True,
            published_at__range=(published - DUPLICATE_WINDOW, published + DUPLICATE_WINDOW),
        )
        .exclude(source=source)
        .order_by("published_at", "pk")
        .first()
    )


def _record_success(
    source: Source, report: IngestReport, result: FetchResult, when: datetime.datetime
) -> None:
    fields = {
        "last_fetched_at": when,
        "last_success_at": when,
        "consecutive_failures": 0,
        "items_fetched": F("items_fetched") + report.new,
    }
    if not result.not_modified:
        fields["etag"] = result.headers.get("ETag", "")[:255]
        fields["last_modified"] = result.headers.get("Last-Modified", "")[:100]
    Source.objects.filter(pk=source.pk).update(**fields)
    source.refresh_from_db(fields=[*fields])


def _record_failure(
    source: Source, report: IngestReport, message: str, when: datetime.datetime
) -> None:
    report.status, report.error = "error", message[:MAX_ERROR]
    fields = {
        "last_fetched_at": when,
        "last_error": report.error,
        "last_error_at": when,
        "consecutive_failures": F("consecutive_failures") + 1,
        "items_fetched": F("items_fetched") + report.new,
    }
    try:
        Source.objects.filter(pk=source.pk).update(**fields)
        source.refresh_from_db(fields=[*fields])
    except Exception:  # noqa: BLE001 -- the database itself may be what failed
        logger.exception("Watch source %r: could not record its error", source.name)
