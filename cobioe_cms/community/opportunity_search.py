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


def search_opportunities(context: SearchContext) -> AnsweredList:
    query = context.understood
    if not query:
        return AnsweredList([], DATABASE)
    current = context.pages(OpportunityPage).current()
    ranks = text_ranks(current, query)
    if not ranks:
        return AnsweredList([], DATABASE)
    found = current.filter(pk__in=list(ranks)).select_related("organisation")
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
