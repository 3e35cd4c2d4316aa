"""Structured data for search engines, in the profile and news templates (through
``include_if_installed``, so that the actors and news apps never load this library)."""

from django import template

from cobioe_cms.panorama import discovery

register = template.Library()


@register.simple_tag(takes_context=True)
def organisation_json_ld(context, actor) -> str:
    return discovery.json_ld(discovery.organisation_data(actor, context.get("request")))


@register.simple_tag(takes_context=True)
def news_article_json_ld(context, news) -> str:
    return discovery.json_ld(discovery.news_article_data(news, context.get("request")))
