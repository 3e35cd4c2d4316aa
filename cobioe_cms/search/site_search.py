"""The public site search: one search box over every kind of content.

A *section* is one kind of result (organisations, news, pages, watch items). Each content
app registers its sections from its own ``site_search`` module, which
:class:`.apps.SearchConfig` imports at start-up, so this app imports no domain app::

    register_section(SearchSection(
        key="news", label=_("News"), order=20, template="cobioe_news/search/hit_news.html",
        search=lambda context: context.search(context.pages(NewsPage)),
        page_types=("cobioe_news.NewsPage",),
    ))

``search`` receives a :class:`SearchContext` and returns something countable and
sliceable, evaluated lazily: Wagtail search results (the cluster backend of
:mod:`.wagtail_backend` records in ``answered_by`` whether the cluster or the database
answered), a QuerySet, or an :class:`AnsweredList`.

The generic "pages" section at the end of this module covers every published page type
that no other section claims in its ``page_types``.

Visibility: :meth:`SearchContext.pages` gives live pages without view restrictions in the
current site, for everyone (signed in or not); a ``members_only`` section is searched
only for signed-in visitors.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site, get_page_models

from cobioe_cms.core.analysis import UnderstoodQuery, corrected_query, understand, whole_words
from cobioe_cms.core.models import synonym_groups
from cobioe_cms.core.pagination import parse_page_number
from cobioe_cms.core.text import clean_typed

from . import service
from .client import SEARCH_ERRORS, get_client, msearch
from .service import CLUSTER, DATABASE
from .understood_search import cluster_search, matching_pages, understood_search

MAX_QUERY_LENGTH = 200
# The words sent to the search backends: letters and digits only, so that nothing a
# visitor types means anything to a backend's query syntax.
MAX_WORDS = 20
PER_PAGE = 20
PREVIEW_SIZE = 5
# The ids of up to this many pages of the section shown are asked with the counts.
MAX_PREFETCHED_PAGES = 10
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class SiteQuery:
    """What a visitor typed, made safe. ``text`` is "" when nothing searchable is left."""

    typed: str
    text: str
    shortened: bool = False

    @classmethod
    def parse(cls, raw: str) -> SiteQuery:
        typed, shortened = clean_typed(raw, MAX_QUERY_LENGTH)
        words = _WORD.findall(typed)[:MAX_WORDS]
        return cls(typed=typed, text=" ".join(words), shortened=shortened)


@dataclass(frozen=True)
class SearchContext:
    """One search: the query, the request (its user) and the site searched."""

    query: SiteQuery
    request: HttpRequest
    site_root: Page | None = None

    @property
    def user(self):
        return self.request.user

    def pages(self, model: type[Page] = Page):
        """Pages of ``model`` anyone may see: live, without view restrictions, in this
        site. Every page section starts from here."""
        pages = model.objects.live().exclude(self._restricted)
        if self.site_root is not None:
            pages = pages.descendant_of(self.site_root, inclusive=True)
        return pages

    @cached_property
    def _restricted(self):
        """Wagtail's ``public()`` condition, whose view restrictions are read once per
        search rather than once per section (``public()`` reads them on every call)."""
        return Page.objects.all().private_q()

    @cached_property
    def understood(self) -> UnderstoodQuery:
        """The query understood with the editors' synonym groups (read once per search,
        whichever sections ask)."""
        return understand(self.query.text, synonym_groups())

    def search(self, queryset, database: Callable[[Any, UnderstoodQuery], Any]):
        """The pages of ``queryset`` holding every concept of the query (the site's one
        understanding of it: :mod:`.understood_search`): found by the cluster when one is
        configured, else (and whenever it cannot answer) by ``database(queryset,
        query)``, a QuerySet or a list, best first."""
        # Whole words only: the cluster's Wagtail backend cannot match a word's
        # beginning, and both backends must find the same pages.
        query = whole_words(self.understood)
        return understood_search(queryset, query, lambda: database(queryset, query))

    def cluster_search(self, queryset, size: int) -> ClusterQuery | None:
        """:meth:`search`'s question to the cluster (Wagtail's cluster backend), for the
        site search's single request: the total and the first ``size`` pages."""
        found = cluster_search(queryset, whole_words(self.understood), size)
        if found is None:
            return None
        index, body, pk_of = found
        return ClusterQuery(index, body, rows=lambda ids: _in_order(queryset, ids), pk_of=pk_of)


def _in_order(queryset, ids: list[int]) -> list[Any]:
    """The rows of ``queryset`` with these primary keys, in their order (missing ones
    left out: the cluster may still know a page the database no longer shows)."""
    if not ids:
        return []
    by_id = {row.pk: row for row in queryset.filter(pk__in=ids)}
    return [by_id[pk] for pk in ids if pk in by_id]


@dataclass(frozen=True)
class ClusterQuery:
    """One section's question in the site search's single request to the cluster
    (``_msearch``, :meth:`SiteSearch._ask_cluster`): ``body`` for ``index``, asking for
    the exact total and the first ids, best first. ``rows(ids)`` reads those results
    from the database, in order. ``listed``: the section shows the results the body
    asks for and no more (a list of at most its ``size``), counted as the rows read."""

    index: str
    body: dict[str, Any]
    rows: Callable[[list[int]], list[Any]]
    pk_of: Callable[[dict[str, Any]], int] = lambda hit: int(hit["_id"])
    listed: bool = False

    def results(self, response: dict[str, Any], more: Callable[[], Any]):
        ids = [self.pk_of(hit) for hit in response["hits"]["hits"]]
        if self.listed:
            return AnsweredList(self.rows(ids), CLUSTER)
        return ClusterHits(response["hits"]["total"]["value"], ids, self.rows, more)


class ClusterHits:
    """A section's results from the single cluster request: ``total`` and the first
    ``ids``, best first, read by ``rows(ids)``. A slice beyond them is read from
    ``more()``, the section's own search (which asks the cluster again, or the database
    when it cannot). Countable and sliceable, as a Paginator needs."""

    answered_by = CLUSTER

    def __init__(self, total: int, ids: list[int], rows, more: Callable[[], Any]) -> None:
        self.total = total
        self.ids = ids
        self.rows = rows
        self.more = more

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index: Any) -> AnsweredList:
        if not isinstance(index, slice):
            raise TypeError("ClusterHits is read a page at a time")
        start = index.start or 0
        stop = min(self.total, self.total if index.stop is None else index.stop)
        if stop <= start:
            return AnsweredList([], CLUSTER)
        if stop <= len(self.ids) or len(self.ids) >= self.total:
            return AnsweredList(self.rows(self.ids[start:stop]), CLUSTER)
        found = self.more()
        return AnsweredList(found[start:stop], _backend_of(found) or DATABASE)


class AnsweredList(list):
    """Results computed at once (e.g. by :func:`.service.answer`), with the backend that
    answered (``"cluster"`` or ``"database"``)."""

    def __init__(self, items: Iterable[Any], answered_by: str) -> None:
        super().__init__(items)
        self.answered_by = answered_by


@dataclass(frozen=True)
class SearchSection:
    """One kind of result. ``label`` is a plural heading ("News"); ``template`` renders
    one result, given as ``hit``; ``page_types`` ("app_label.Model") are the page types
    this section covers, which the generic pages section leaves out."""

    key: str
    label: Any
    search: Callable[[SearchContext], Any]
    template: str
    order: int = 100
    members_only: bool = False
    page_types: tuple[str, ...] = ()
    # Known words -> frequency, for correcting the typos of a search that found
    # nothing (:func:`cobioe_cms.core.analysis.corrected_query`).
    vocabulary: Callable[[], Mapping[str, int]] | None = None
    # The section's question to the cluster, asking for the first ``size`` results, to
    # be sent with the other sections' in one request; None (or returning None): the
    # section asks alone, through ``search``.
    cluster: Callable[[SearchContext, int], ClusterQuery | None] | None = None

    def visible_to(self, user) -> bool:
        return not self.members_only or bool(user and user.is_authenticated)


_sections: dict[str, SearchSection] = {}


def register_section(section: SearchSection) -> SearchSection:
    """Register (or replace, on autoreload) the section with this key."""
    _sections[section.key] = section
    return section


def registered_sections() -> list[SearchSection]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.key))


def claimed_page_types() -> list[type[Page]]:
    return [apps.get_model(label) for s in _sections.values() for label in s.page_types]


# -- one search request ------------------------------------------------------------------


@dataclass
class SectionResults:
    """What one section found: ``count`` in all; ``page`` the results shown, if any."""

    section: SearchSection
    count: int
    backends: set[str]
    page: PaginatorPage | None = None
    page_range: list[Any] = field(default_factory=list)

    @property
    def has_more(self) -> bool:
        return self.page is not None and self.count > len(self.page.object_list)


def _backend_of(results: Any) -> str | None:
    return getattr(results, "answered_by", None)


def _run(
    section: SearchSection, context: SearchContext, per_page: int, page_number=None, found=None
):
    """Count ``section``'s results (``found``, when the cluster already answered, else
    its ``search``); with ``page_number`` (num_pages -> number), also read that page."""
    if found is None:
        found = section.search(context)
    paginator = Paginator(found, per_page)
    count = paginator.count
    results = SectionResults(section, count, backends=set())
    if page_number is not None:
        page = paginator.page(page_number(paginator.num_pages))
        shown = page.object_list
        page.object_list = list(shown) if count else []
        results.page = page
        results.page_range = list(paginator.get_elided_page_range(page.number, on_each_side=2))
        if count and _backend_of(shown):
            results.backends.add(_backend_of(shown))
    # Our cluster backend and AnsweredList say who answered; anything else is the
    # database (a QuerySet, Wagtail's database backend).
    results.backends.add(_backend_of(found) or DATABASE)
    return results


class SiteSearch:
    """A visitor's search: ``q`` the query; ``kind`` one section's key, shown a page at
    a time (``page``), or none for a preview of every section. Bad values never fail:
    they are corrected and explained in ``messages``."""

    def __init__(self, request: HttpRequest) -> None:
        params = request.GET
        self.request = request
        self.query = SiteQuery.parse(params.get("q", ""))
        self.messages: list[str] = []
        self.sections = [s for s in registered_sections() if s.visible_to(request.user)]
        self.hidden_sections = [s for s in registered_sections() if s not in self.sections]
        self.kind = self._kind(params.get("kind", ""))
        self._page = params.get("page", "")
        self.results: list[SectionResults] = []
        self.selected: SectionResults | None = None
        # What was typed, when it found nothing and its corrected form is shown instead.
        self.corrected_from: SiteQuery | None = None
        self.typed_total = 0  # what the typed query found, when it was corrected
        # ``exact=1``: the visitor asked for what they typed, uncorrected.
        self.exact = params.get("exact", "") == "1"
        if self.query.shortened:
            self.messages.append(
                gettext("Your search was shortened to its first %(max)d characters.")
                % {"max": MAX_QUERY_LENGTH}
            )
        if self.query.typed and not self.query.text:
            self.messages.append(
                gettext("Your search has no letters or digits to look for; try a word.")
            )

    def _kind(self, key: str) -> str:
        key = key[:50]
        if not key or key in {s.key for s in self.sections}:
            return key
        if key in {s.key for s in self.hidden_sections}:
            self.messages.append(
                gettext("Sign in to search this kind of content; showing every other kind.")
            )
        else:
            self.messages.append(
                gettext("“%(kind)s” is not a kind of result; showing every kind.") % {"kind": key}
            )
        return ""

    @property
    def searched(self) -> bool:
        return bool(self.query.text)

    def run(self) -> SiteSearch:
        if not self.searched:
            return self
        site_root = _site_root(self.request)
        self._run_sections(SearchContext(self.query, self.request, site_root))
        # Typos are corrected when the sections that know the site's words (those with
        # a vocabulary: the organisations) found nothing: another section's looser
        # match (a cluster's French stemmer forgives "vacine") must not hide them.
        corrects = [r for r in self.results if r.section.vocabulary is not None]
        if corrects and not any(r.count for r in corrects) and not self.exact:
            corrected = self._corrected()
            if corrected:
                found = (self.query, self.results, self.selected, list(self.messages))
                found_total = self.total
                self.query = SiteQuery.parse(corrected)
                self.results, self.selected = [], None
                self._run_sections(SearchContext(self.query, self.request, site_root))
                if self.total > found_total:
                    self.corrected_from = found[0]
                    self.typed_total = found_total
                else:  # the correction finds no more: keep what was typed
                    self.query, self.results, self.selected, self.messages = found
        return self

    def _corrected(self) -> str | None:
        """The query with its typos corrected from the sections' vocabularies."""
        vocabularies = [s.vocabulary() for s in self.sections if s.vocabulary is not None]
        if len(vocabularies) == 1:
            vocabulary = vocabularies[0]
        else:
            vocabulary = {}
            for known in vocabularies:
                for word, count in known.items():
                    vocabulary[word] = vocabulary.get(word, 0) + count
        return corrected_query(self.query.text, vocabulary) if vocabulary else None

    def _run_sections(self, context: SearchContext) -> None:
        answered = self._ask_cluster(context)
        for section in self.sections:
            found = answered.get(section.key)
            if not self.kind:
                result = _run(section, context, PREVIEW_SIZE, lambda n: 1, found)
            elif section.key == self.kind:
                result = _run(section, context, PER_PAGE, self._page_number, found)
                self.selected = result
            else:
                result = _run(section, context, PER_PAGE, found=found)
            self.results.append(result)
        return self

    def _first_ids(self, section: SearchSection) -> int:
        """How many of ``section``'s first results the page shows (or may show)."""
        if not self.kind:
            return PREVIEW_SIZE
        if section.key != self.kind:
            return 0  # counted only
        # The page asked for, if it is a number (a wrong one is corrected later, and
        # its results then read by the section's own search).
        number = self._page[:20].strip()
        pages = int(number) if number.isdigit() and 0 < int(number) <= MAX_PREFETCHED_PAGES else 1
        return PER_PAGE * pages

    def _ask_cluster(self, context: SearchContext) -> dict[str, Any]:
        """Every section's question to the cluster in one request (``_msearch``): their
        results by section key. A section missing from the answer (no question, an
        error in its part of the answer, or the request failed: the fault is logged and
        the circuit breaker opens) searches alone, as if this request had not been
        made, and falls back to the database as it always does."""
        if not service.cluster_usable():
            return {}
        questions = {}
        for section in self.sections:
            if section.cluster is not None:
                question = section.cluster(context, self._first_ids(section))
                if question is not None:
                    questions[section.key] = question
        if not questions:
            return {}
        try:
            responses = msearch(
                get_client(), [(question.index, question.body) for question in questions.values()]
            )
        except SEARCH_ERRORS as error:
            service.record_fault("site search", error)
            return {}
        answered = {}
        for (key, question), response in zip(questions.items(), responses, strict=True):
            if "error" not in response:
                section = _sections[key]
                answered[key] = question.results(response, lambda s=section: s.search(context))
        return answered

    def _page_number(self, num_pages: int) -> int:
        number, message = parse_page_number(self._page[:20], num_pages)
        if message:
            self.messages.append(message)
        return number

    @property
    def total(self) -> int:
        return sum(result.count for result in self.results)

    @property
    def backend(self) -> str | None:
        """``"cluster"`` or ``"database"`` when one backend answered every section,
        ``"mixed"`` when both did; None when nothing was searched. Sections the cluster
        never serves (no ``cluster`` question: the opportunities, a few hundred read from
        the database) do not count, unless no section could ask the cluster: the label
        says whether the cluster answered what it can answer."""
        served = [result for result in self.results if result.section.cluster is not None]
        backends = set().union(*(result.backends for result in served or self.results))
        if len(backends) > 1:
            return "mixed"
        return next(iter(backends), None)

    def querystring(self, kind: str | None = None) -> str:
        """``q`` and ``kind`` (this search's unless given), for links and pagination."""
        params = {"q": self.query.typed}
        kind = self.kind if kind is None else kind
        if kind:
            params["kind"] = kind
        if self.exact:
            params["exact"] = "1"
        return urlencode(params)


def _site_root(request: HttpRequest) -> Page | None:
    site = Site.find_for_request(request)
    return site.root_page if site else None


# -- the generic section: every page type no other section claims ------------------------


def _unclaimed_pages(context: SearchContext):
    pages = context.pages().filter(depth__gt=1)  # not Wagtail's root node
    # The unclaimed types by name (an indexed IN), not "every type but the claimed
    # ones", which reads every page of the tree (10,000 profiles' pages and more).
    claimed = set(claimed_page_types())
    return pages.exact_type(Page, *(m for m in get_page_models() if m not in claimed)).specific()


def _search_pages(context: SearchContext):
    # Page types with no analysed text of their own, analysed as they are read: the
    # site's few editorial pages, home and index pages.
    return context.search(_unclaimed_pages(context), database=matching_pages)


register_section(
    SearchSection(
        key="pages",
        label=_("Pages"),
        search=_search_pages,
        template="cobioe_search/hit_page.html",
        order=30,
        cluster=lambda context, size: context.cluster_search(_unclaimed_pages(context), size),
    )
)
