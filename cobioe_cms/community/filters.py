"""The filters of the working-groups list: a topic per taxonomy, a country, "my groups".

One class reads the query string (``?stage=production&country=FR&mine=1``), ignores
unknown values with a message for the visitor, filters the groups and counts, for every
value, how many of the listed groups it would keep: a fixed number of queries whatever
the number of groups.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count
from django.utils.translation import gettext as _

from cobioe_cms.core.countries import country_name, is_known_country
from cobioe_cms.core.vocabulary import TOPIC_FACETS, Facet

COUNTRY_KEY = "country"
MINE_KEY = "mine"


@dataclass
class GroupFilters:
    """The filter state of one request. ``terms`` maps a facet's URL key to the chosen
    term (an instance of the facet's taxonomy model)."""

    terms: dict[str, object] = field(default_factory=dict)
    country: str = ""
    mine: bool = False
    user: object = None
    messages: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, query, user=None) -> GroupFilters:
        filters = cls(user=user)
        for facet in TOPIC_FACETS:
            value = query.get(facet.url_key, "")[:100]
            if not value:
                continue
            term = facet.model.objects.filter(slug=value).first()
            if term is None:
                filters.messages.append(
                    _("“%(value)s” is not a known %(facet)s; that filter is ignored.")
                    % {"value": value, "facet": str(facet.label).lower()}
                )
            else:
                filters.terms[facet.url_key] = term
        country = query.get(COUNTRY_KEY, "")[:10].upper()
        if country and is_known_country(country):
            filters.country = country
        elif country:
            filters.messages.append(
                _("“%(value)s” is not a country code we know; that filter is ignored.")
                % {"value": country}
            )
        if query.get(MINE_KEY) and user is not None and user.is_authenticated:
            filters.mine = True
        return filters

    @property
    def is_active(self) -> bool:
        return bool(self.terms or self.country or self.mine)

    def apply(self, groups, *, without: str = ""):
        """``groups`` narrowed by every filter but ``without`` (a URL key)."""
        for facet in TOPIC_FACETS:
            term = self.terms.get(facet.url_key)
            if term is not None and facet.url_key != without:
                groups = groups.filter(**{facet.relation: term})
        if self.country and without != COUNTRY_KEY:
            # Codes are stored comma-separated ("DE,FR"); two letters never span a comma.
            groups = groups.filter(countries__contains=self.country)
        if self.mine and without != MINE_KEY:
            groups = groups.of_member(self.user)
        return groups

    # -- URLs -------------------------------------------------------------------------

    def params(self) -> dict[str, str]:
        params = {key: term.slug for key, term in self.terms.items()}
        if self.country:
            params[COUNTRY_KEY] = self.country
        if self.mine:
            params[MINE_KEY] = "1"
        return params

    def querystring(self, **changes) -> str:
        """The current filters with ``changes`` (a value of None drops the key)."""
        params = self.params()
        for key, value in changes.items():
            if value is None:
                params.pop(key, None)
            else:
                params[key] = value
        return urlencode(sorted(params.items()))

    @property
    def mine_querystring(self) -> str:
        """The current filters with "my groups" switched on or off."""
        return self.querystring(**{MINE_KEY: None if self.mine else "1"})

    # -- counts -----------------------------------------------------------------------

    def facet_counts(self, groups) -> list[dict]:
        """For each facet (the three topic taxonomies, then countries): its options with
        the number of groups each would list, the other filters applied."""
        facets = [self._term_facet(facet, groups) for facet in TOPIC_FACETS]
        facets.append(self._country_facet(groups))
        return facets

    def _option(self, key: str, value: str, label: str, count: int, selected: bool) -> dict:
        return {
            "value": value,
            "label": label,
            "count": count,
            "selected": selected,
            "querystring": self.querystring(**{key: None if selected else value}),
        }

    def _term_facet(self, facet: Facet, groups) -> dict:
        narrowed = self.apply(groups, without=facet.url_key)
        chosen = self.terms.get(facet.url_key)
        terms = (
            facet.model.objects.filter(working_groups__in=narrowed.values("pk"))
            .annotate(group_count=Count("working_groups", distinct=True))
            .order_by("sort_order", "pk")
        )
        options = [
            self._option(facet.url_key, t.slug, t.label, t.group_count, t == chosen) for t in terms
        ]
        if chosen is not None and not any(o["selected"] for o in options):
            options.insert(0, self._option(facet.url_key, chosen.slug, chosen.label, 0, True))
        return {"key": facet.url_key, "label": facet.label, "options": options}

    def _country_facet(self, groups) -> dict:
        counts: Counter[str] = Counter()
        for value in self.apply(groups, without=COUNTRY_KEY).values_list("countries", flat=True):
            codes = value.split(",") if isinstance(value, str) else [str(c) for c in value or []]
            counts.update(code for code in codes if code)
        if self.country and self.country not in counts:
            counts[self.country] = 0
        options = sorted(
            (
                self._option(COUNTRY_KEY, code, country_name(code), n, code == self.country)
                for code, n in counts.items()
            ),
            key=lambda option: option["label"],
        )
        return {"key": COUNTRY_KEY, "label": _("Country"), "options": options}
