"""The representative's opportunities on the member dashboard
(``cobioe_community/includes/dashboard_opportunities.html``)."""

from django import template

from .. import opportunities

register = template.Library()

DASHBOARD_LIMIT = 10


@register.simple_tag
def my_opportunities(user) -> dict:
    """The latest :data:`DASHBOARD_LIMIT` opportunities of the organisations ``user``
    represents, whether there are more, and the organisations they may post for."""
    if not user.is_authenticated:
        return {"items": [], "more": False, "organisations": []}
    items = opportunities.opportunities_of(user, limit=DASHBOARD_LIMIT + 1)
    return {
        "items": items[:DASHBOARD_LIMIT],
        "more": len(items) > DASHBOARD_LIMIT,
        "organisations": list(opportunities.postable_organisations(user)),
    }
