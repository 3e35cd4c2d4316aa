"""The organisations' section of the site search (found by ``SearchConfig.ready()``)."""

from django.utils.translation import gettext_lazy as _

from cobioe_cms.search.site_search import SearchContext, SearchSection, register_section

from .models import ActorPage


def search_actors(context: SearchContext):
    """Published, public profiles, best matches first (Wagtail search: title, acronym,
    summary, description, city, keywords)."""
    return context.search(context.pages(ActorPage).select_related("organisation_type"))


ACTORS = register_section(
    SearchSection(
        key="actors",
        label=_("Organisations"),
        search=search_actors,
        template="search/hit_actor.html",
        order=10,
        page_types=("cobioe_actors.ActorPage",),
    )
)
