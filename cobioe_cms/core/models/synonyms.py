"""The sector's acronyms and synonyms, kept as editable data beside the taxonomies.

One group is a set of equivalent expressions ("mAb", "monoclonal antibody", "anticorps
monoclonal"): a search for any of them finds what holds any other
(:mod:`cobioe_cms.core.analysis`). Groups are seeded from ``core/fixtures/taxonomies.json``
(key ``synonyms``) and edited in the admin (*Taxonomies › Search synonyms*); an edit
counts from the next search, without rebuilding any index, because synonyms are applied
to queries rather than to stored text.
"""

from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..analysis import SynonymGroups, words

MAX_EXPRESSIONS = 30


class SearchSynonym(models.Model):
    name = models.CharField(
        _("name"),
        max_length=100,
        unique=True,
        help_text=_("The group's usual name, e.g. 'mAb'. It counts as one of its expressions."),
    )
    expressions = models.TextField(
        _("equivalent expressions"),
        help_text=_(
            "One per line, in English or French: acronyms, spellings, translations "
            "(e.g. 'monoclonal antibody', 'anticorps monoclonal')."
        ),
    )

    one_way = models.BooleanField(
        _("the name finds the expressions, not the reverse"),
        default=False,
        help_text=_(
            "For a broad term: 'ATMP' finds cell and gene therapies, but a search for "
            "'cell therapy' should not find every gene therapy."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")

    def __str__(self) -> str:
        return self.name

    def expression_list(self) -> list[str]:
        lines = [self.name, *self.expressions.splitlines()]
        return list(dict.fromkeys(line.strip() for line in lines if line.strip()))

    def clean(self) -> None:
        expressions = self.expression_list()
        if len(expressions) > MAX_EXPRESSIONS:
            raise ValidationError(
                {"expressions": _("At most %(n)d expressions in a group.") % {"n": MAX_EXPRESSIONS}}
            )
        empty = [e for e in expressions if not words(e)]
        if empty:
            raise ValidationError(
                {
                    "expressions": _(
                        "“%(expression)s” has no word a search could match (only stop "
                        "words or punctuation)."
                    )
                    % {"expression": empty[0]}
                }
            )
        if len({tuple(words(e)) for e in expressions}) < 2:
            raise ValidationError(
                {"expressions": _("Give at least one expression other than the name.")}
            )


def synonym_groups() -> SynonymGroups:
    """Every group, ready for :func:`cobioe_cms.core.analysis.understand` (one query).

    The rows are read on every call, so an edit counts at once in every worker; the
    analysis of the expressions (stemming, a few milliseconds for the seed groups) is
    done again only when the rows differ from the last ones seen."""
    rows = tuple(SearchSynonym.objects.values_list("name", "expressions", "one_way"))
    return _built(rows)


@lru_cache(maxsize=4)
def _built(rows: tuple[tuple[str, str, bool], ...]) -> SynonymGroups:
    return SynonymGroups.build(
        ([name, *expressions.splitlines()], one_way) for name, expressions, one_way in rows
    )
