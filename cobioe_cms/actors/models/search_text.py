"""The analysed text a profile is found by (:mod:`cobioe_cms.core.analysis`), composed
from its fields and terms: by ``ActorPage.save``, the demo generator, imports and the
migrations that fill the search columns."""

from django.utils import translation

from cobioe_cms.core.analysis import token_string
from cobioe_cms.core.countries import country_name
from cobioe_cms.core.vocabulary import TERM_RELATIONS

# The taxonomies with many terms whose labels and keywords count as a profile's text
# (``ActorPage.build_search_fields`` adds the organisation type; the GMP status is left
# out: "Non-GMP" would make every non-GMP site an answer to "GMP").
SEARCHED_RELATIONS = TERM_RELATIONS


def country_names(code: str) -> list[str]:
    """The country's name in English and in French (a search in either finds it)."""
    if not code:
        return []
    names = []
    for language in ("en", "fr"):
        with translation.override(language):
            names.append(country_name(code))
    return names


def search_fields_for(title: str, acronym: str, texts, country: str, keywords, terms) -> dict:
    """The analysed text a profile is found by (:mod:`cobioe_cms.core.analysis`), in
    three token strings that rank a match (:mod:`..text_search`):

    - ``search_name``: its name and acronym;
    - ``search_terms``: the English and French labels and the keywords of its taxonomy
      terms, and its own keywords;
    - ``search_text``: all of the above and its other ``texts`` (summary, city, region)
      and its country's names: what a query must find.
    """
    term_texts = [*keywords]
    for term in terms:
        term_texts.extend([term.name, term.name_fr, term.keywords])
    name = token_string([title, acronym])
    return {
        "search_name": name,
        "search_terms": token_string(term_texts),
        "search_text": token_string(
            [title, acronym, *term_texts, *texts, *country_names(str(country or ""))]
        ),
    }
