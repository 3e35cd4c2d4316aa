"""The opportunities' section of the site search, "Opportunities" (registered when
:mod:`.site_search` is imported by ``SearchConfig.ready()``).

Only current opportunities are searched (:meth:`OpportunityQuerySet.current`: published,
open, not expired, of a published organisation), in the site searched and without view
restrictions, for every visitor. The section claims the opportunity pages, so that the
generic "pages" section never shows a closed or expired one.

An opportunity is found, as on the board (:mod:`.opportunity_filters`), by its title,
description and organisation's name, with the site's one understanding of the query:
every concept must be in that text; those holding more concepts in their title first,
then the newest. Always the database (there is no cluster index of opportunities: a few
hundred current ones are analysed as they are read, in one query).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cobioe_cms.search.service import DATABASE
from cobioe_cms.search.site_search import (
    AnsweredList,
    SearchContext,
    SearchSection,
    register_section,
)

from .models.opportunities import OpportunityPage
from .opportunity_filters import text_ranks

# Opportunities are ranked, not browsed: the best 100 are enough for a site search.
MAX_RESULTS = 100


def _current(context: SearchContext):
    """The current opportunities searched, in a query SQLite starts from the opportunities.

    Without statistics, SQLite starts ``current()``'s join from the organisations (the
    index on ``merged_into`` looks selective) and reads every profile, 10,000 of them,
    for a few hundred opportunities (5 of the section's 16 ms for "vaccine" at 10,000
    profiles, ``tests/perf/bench_search.py``'s data). The opportunities' keys named in
    a subquery (a condition ``current()`` holds already) make it start from them;
    PostgreSQL, which keeps statistics, plans both queries alike."""
    open_ones = OpportunityPage.objects.filter(status=OpportunityPage.Status.OPEN)
    return context.pages(OpportunityPage).current().filter(pk__in=open_ones.values("pk"))


def search_opportunities(context: SearchContext) -> AnsweredList:
    query = context.understood
    if not query:
        return AnsweredList([], DATABASE)
    current = _current(context)
    ranks = text_ranks(current, query)
    if not ranks:
        return AnsweredList([], DATABASE)
    # Read by key: ``ranks`` holds current opportunities only (found by the query
    # above, in this request), and ``current()``'s conditions compiled a second time
    # cost more than reading the rows.
    found = OpportunityPage.objects.filter(pk__in=list(ranks)).select_related("organisation")
    found = found.order_by()
    ordered = sorted(
        found,
        key=lambda o: (
            -ranks[o.pk],
            -(o.first_published_at.timestamp() if o.first_published_at else 0),
            -o.pk,
        ),
    )
    return AnsweredList(ordered[:MAX_RESULTS], DATABASE)


OPPORTUNITIES = register_section(
    SearchSection(
        key="opportunities",
        label=_("Opportunities"),
        search=search_opportunities,
        template="cobioe_community/search/hit_opportunity.html",
        order=25,
        page_types=("cobioe_community.OpportunityPage",),
    )
)
