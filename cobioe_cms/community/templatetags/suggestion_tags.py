from django import template

from .. import suggestions

register = template.Library()


@register.simple_tag
def opportunity_suggestions(opportunity) -> list:
    """The organisations that could answer ``opportunity`` (none unless it is current)."""
    return suggestions.for_opportunity(opportunity)
