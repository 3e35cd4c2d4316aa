"""The opportunities board's answers: the listing, its RSS and Atom feeds and its CSV
and JSON exports, for the routes of
:class:`~cobioe_cms.community.models.OpportunityBoardPage`.

All four build :class:`.opportunity_filters.OpportunityFilter` from the request's
parameters over the board's current opportunities, so a feed or an export holds exactly
the opportunities the page lists for the same parameters, in the same order (the feed:
the first :data:`FEED_LENGTH` of them). Always the database: the board holds a few
hundred opportunities at most.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cobioe_cms.actors.exports import term_slugs
from cobioe_cms.core.conf import conf
from cobioe_cms.core.pagination import parse_page_number
from cobioe_cms.core.ratelimit import allow, client_ip
from cobioe_cms.core.spreadsheets import safe_cell

from .models.opportunities import OpportunityPage
from .opportunity_filters import OpportunityFilter

if TYPE_CHECKING:
    from .models.opportunities import OpportunityBoardPage

FEED_FORMATS: dict[str, type[SyndicationFeed]] = {"rss": Rss201rev2Feed, "atom": Atom1Feed}
FEED_LENGTH = 50
FEED_SUMMARY_WORDS = 80
EXPORT_PERIOD = 3600
TERM_RELATIONS = ("stages", "modalities", "therapeutic_areas", "scales")
COLUMNS = (
    "id",
    "title",
    "url",
    "direction",
    "kind",
    "organisation",
    "organisation_url",
    "stages",
    "modalities",
    "therapeutic_areas",
    "scales",
    "gmp_status",
    "countries",
    "expires_on",
    "published_at",
    "demo_data",
)


def build_filter(board: OpportunityBoardPage, request: HttpRequest) -> OpportunityFilter:
    return OpportunityFilter(request.GET, board.opportunities())


def with_card_data(opportunities):
    """What a card shows, in four queries for a whole page."""
    return opportunities.select_related("organisation", "gmp_status").prefetch_related(
        "stages", "modalities", "therapeutic_areas"
    )


def feed_links(board: OpportunityBoardPage, request: HttpRequest, querystring: str) -> list[dict]:
    suffix = f"?{querystring}" if querystring else ""
    return [
        {
            "format": fmt,
            "title": f"{board.title} ({label})",
            "mime_type": FEED_FORMATS[fmt].content_type.split(";")[0],
            "url": board.url_for(request, "feed", fmt=fmt) + suffix,
        }
        for fmt, label in (("rss", "RSS"), ("atom", "Atom"))
    ]


def board_response(board: OpportunityBoardPage, request: HttpRequest) -> HttpResponse:
    """One page of the filtered opportunities, with the facets, sorts and feed links."""
    board_filter = build_filter(board, request)
    paginator = Paginator(with_card_data(board_filter.queryset()), max(1, board.per_page))
    number, page_message = parse_page_number(request.GET.get("page", ""), paginator.num_pages)
    page = paginator.page(number)
    messages = list(board_filter.messages)
    if page_message:
        messages.append(page_message)
    querystring = board_filter.querystring()
    suffix = f"?{querystring}" if querystring else ""
    return board.render(
        request,
        context_overrides={
            "filter": board_filter,
            "facets": board_filter.facets(),
            "active_filters": board_filter.active_filters(),
            "page_obj": page,
            "paginator": paginator,
            "page_range": paginator.get_elided_page_range(number, on_each_side=2),
            "input_messages": messages,
            "querystring": querystring,
            "sorts": board_filter.sort_choices(),
            "feeds": feed_links(board, request, querystring),
            "csv_url": board.url_for(request, "export_csv") + suffix,
            "json_url": board.url_for(request, "export_json") + suffix,
            "has_any": paginator.count > 0 or board.opportunities().exists(),
        },
    )


# -- feeds -------------------------------------------------------------------------------


def feed_response(board: OpportunityBoardPage, request: HttpRequest, fmt: str) -> HttpResponse:
    """The first :data:`FEED_LENGTH` opportunities the board lists for the same
    parameters, as RSS 2.0 or Atom 1.0 (any other format: 404). Descriptions are plain
    text, HTML-escaped as the news feeds' summaries are."""
    if fmt not in FEED_FORMATS:
        raise Http404("Unknown feed format")
    board_filter = build_filter(board, request)
    querystring = board_filter.querystring()
    link = board.url_for(request) + (f"?{querystring}" if querystring else "")
    title = board.title
    if board_filter.is_filtered:
        title = _("%(board)s (filtered)") % {"board": board.title}
    feed = FEED_FORMATS[fmt](
        title=title,
        link=request.build_absolute_uri(link),
        description=_("Collaboration opportunities: offers and requests of organisations."),
        language=get_language(),
        feed_url=request.build_absolute_uri(request.get_full_path()),
    )
    opportunities = board_filter.queryset().select_related("organisation", "gmp_status")
    for item in opportunities.prefetch_related("stages", "modalities")[:FEED_LENGTH]:
        url = request.build_absolute_uri(item.get_url(request))
        published = item.first_published_at or timezone.now()
        updated = max(item.last_published_at or published, published)
        summary = Truncator(item.description).words(FEED_SUMMARY_WORDS)
        feed.add_item(
            title=f"{item.get_direction_display().capitalize()}: {item.title}",
            link=url,
            description=escape(summary),
            unique_id=url,
            unique_id_is_permalink=True,
            pubdate=published,
            updateddate=updated,
            author_name=item.organisation.title if item.organisation else None,
            categories=[
                str(item.get_kind_display()),
                *(term.label for term in item.stages.all()),
                *(term.label for term in item.modalities.all()),
            ],
        )
    response = HttpResponse(content_type=feed.content_type)
    feed.write(response, "utf-8")
    return response


# -- exports -----------------------------------------------------------------------------


def opportunity_records(opportunities, request: HttpRequest) -> Iterator[dict]:
    """One plain dict per opportunity, in the queryset's order, with taxonomy slugs
    (stable identifiers): six queries in all."""
    rows = list(opportunities.select_related("organisation", "gmp_status"))
    ids = [row.pk for row in rows]
    terms = {relation: term_slugs(relation, ids, OpportunityPage) for relation in TERM_RELATIONS}
    for row in rows:
        organisation = row.organisation
        published = row.first_published_at
        yield {
            "id": row.pk,
            "title": row.title,
            "url": request.build_absolute_uri(row.get_url(request)),
            "direction": row.direction,
            "kind": row.kind,
            "organisation": organisation.title if organisation else "",
            "organisation_url": (
                request.build_absolute_uri(organisation.get_url(request)) if organisation else ""
            ),
            **{relation: terms[relation].get(row.pk, []) for relation in TERM_RELATIONS},
            "gmp_status": row.gmp_status.slug if row.gmp_status else "",
            "countries": [country.code for country in row.countries],
            "expires_on": row.expires_on.isoformat(),
            "published_at": published.isoformat() if published else None,
            "demo_data": row.is_demo,
        }


class _Echo:
    def write(self, value: str) -> str:
        return value


def render_csv(records: Iterator[dict]) -> str:
    writer = csv.writer(_Echo())
    lines = ["\ufeff", writer.writerow(COLUMNS)]  # the BOM lets spreadsheets detect UTF-8
    for record in records:
        cells = [
            " ".join(value) if isinstance(value, list) else value
            for value in (record[column] for column in COLUMNS)
        ]
        lines.append(writer.writerow([safe_cell(cell) for cell in cells]))
    return "".join(lines)


def render_json(records: Iterator[dict]) -> str:
    items = list(records)
    return json.dumps({"count": len(items), "opportunities": items}, ensure_ascii=False)


def export_response(board: OpportunityBoardPage, request: HttpRequest, fmt: str) -> HttpResponse:
    """The opportunities the board lists for the same parameters, in ``fmt`` ("csv" or
    "json"), at most ``COBIOE_EXPORTS_PER_HOUR`` per client and hour (members: per
    account), like the cartography's exports."""
    user = request.user
    who = f"user:{user.pk}" if user.is_authenticated else f"ip:{client_ip(request)}"
    if not allow(f"opportunity-export:{who}", conf.EXPORTS_PER_HOUR, EXPORT_PERIOD):
        message = _(
            "Too many exports from your address or account in the last hour; please try "
            "again later."
        )
        response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(EXPORT_PERIOD)
        return response
    records = opportunity_records(build_filter(board, request).queryset(), request)
    if fmt == "csv":
        body, content_type = render_csv(records), "text/csv; charset=utf-8"
    else:
        body, content_type = render_json(records), "application/json"
    response = HttpResponse(body.encode("utf-8"), content_type=content_type)
    filename = f"cobioe-opportunities-{timezone.now():%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, max_age=0)
    return response
