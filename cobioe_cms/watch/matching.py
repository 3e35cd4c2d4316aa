"""Which watch items interest which member.

Two matchers answer the same three questions: :class:`DatabaseMatcher` (plain SQL, the
default) and :class:`.percolator.PercolatorMatcher` (interest profiles stored as
percolator queries on the search cluster, each call answered by the database matcher
when the cluster faults). :func:`get_matcher` uses the percolator when a cluster is
configured, unless ``COBIOE_WATCH_MATCHER`` names a class explicitly.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Protocol

from django.db.models import Exists, IntegerField, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Length, Substr
from django.utils.module_loading import import_string
from wagtail.models import PageViewRestriction

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.core.conf import conf
from cobioe_cms.core.text import fold
from cobioe_cms.core.vocabulary import TOPIC_RELATIONS

from .models import InterestProfile, ItemFeedback, WatchItem


class Matcher(Protocol):
    def items_for(self, profile: InterestProfile) -> QuerySet[WatchItem]: ...

    def news_for(self, profile: InterestProfile) -> QuerySet: ...

    def profiles_for_items(self, items: list[WatchItem]) -> dict[int, set[int]]: ...


def visible_actors() -> QuerySet[ActorPage]:
    """The actors a member may be shown: live and under no view restriction.

    Wagtail's ``live().public()``, with the restriction test as one SQL condition (a
    restriction on the page or any ancestor: its path starts the actor's path) instead
    of a query that reads every restriction first. An actor unpublished or made
    private after items were linked to it, or after members followed it, is neither
    shown on their watch nor matched through a follow.
    """
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return ActorPage.objects.live().exclude(Exists(restricted))


def _through(relation: str):
    field = WatchItem._meta.get_field(relation)
    return field.remote_field.through, field.m2m_reverse_field_name()


def _country_regex(code: str) -> str:
    # CountryField(multiple=True) stores "FR,DE": match whole codes only.
    return rf"(^|,){code}(,|$)"


class DatabaseMatcher:
    """Matching with plain SQL (SQLite or PostgreSQL)."""

    def _conditions(self, profile: InterestProfile) -> list[Q]:
        conditions: list[Q] = []
        for relation in TOPIC_RELATIONS:
            ids = [term.pk for term in getattr(profile, relation).all()]
            if ids:
                through, target = _through(relation)
                matching = through.objects.filter(
                    watchitem_id=OuterRef("pk"), **{f"{target}_id__in": ids}
                )
                conditions.append(Q(Exists(matching)))
        countries = [str(code) for code in profile.countries]
        if countries:
            condition = Q()
            for code in countries:
                condition |= Q(countries__regex=_country_regex(code))
            conditions.append(condition)
        keywords = [fold(k) for k in profile.keyword_list() if fold(k)]
        if keywords:
            condition = Q()
            for keyword in keywords:
                condition |= Q(keywords_text__contains=keyword)
            conditions.append(condition)
        actor_ids = [actor.pk for actor in profile.followed_actors.all()]
        if actor_ids:
            through = WatchItem.actors.through
            matching = through.objects.filter(
                watchitem_id=OuterRef("pk"),
                actorpage_id__in=actor_ids,
                actorpage__in=visible_actors(),
            )
            conditions.append(Q(Exists(matching)))
        return conditions

    def items_for(self, profile: InterestProfile) -> QuerySet[WatchItem]:
        """Items matching at least one interest, none of the excluded words, not marked
        'not relevant'; annotated with ``score`` = how many kinds of interest match,
        lowered by one for sources the member often found irrelevant."""
        conditions = self._conditions(profile)
        if not conditions:
            return WatchItem.objects.none().annotate(score=Value(0))
        any_interest = Q()
        for condition in conditions:
            any_interest |= condition
        qs = WatchItem.objects.filter(any_interest, duplicate_of__isnull=True)
        for word in profile.excluded_list():
            if fold(word):
                qs = qs.exclude(keywords_text__contains=fold(word))
        rejected = ItemFeedback.objects.filter(user_id=profile.user_id)
        qs = qs.exclude(pk__in=rejected.values("item_id"))
        score = Value(0)
        for condition in conditions:
            score = score + Cast(
                Exists(WatchItem.objects.filter(condition, pk=OuterRef("pk"))),
                IntegerField(),
            )
        disliked_sources = rejected.filter(item__source_id=OuterRef("source_id"))
        score = score - Cast(Exists(disliked_sources), IntegerField())
        return qs.annotate(score=score)

    def news_for(self, profile: InterestProfile):
        """The editors' news (live, public) that match the profile, newest first."""
        from cobioe_cms.news.models import NewsPage

        conditions = Q()
        for relation in TOPIC_RELATIONS:
            ids = [term.pk for term in getattr(profile, relation).all()]
            if ids:
                conditions |= Q(**{f"{relation}__in": ids})
        for code in profile.countries:
            conditions |= Q(countries__regex=_country_regex(str(code)))
        for keyword in profile.keyword_list():
            conditions |= Q(title__icontains=keyword) | Q(summary__icontains=keyword)
        actor_ids = [actor.pk for actor in profile.followed_actors.all()]
        if actor_ids:
            conditions |= Q(related_actors__in=visible_actors().filter(pk__in=actor_ids))
        if not conditions:
            return NewsPage.objects.none()
        matching = NewsPage.objects.filter(conditions).values("pk")
        news = NewsPage.objects.live().public().filter(pk__in=matching)
        for word in profile.excluded_list():
            news = news.exclude(title__icontains=word).exclude(summary__icontains=word)
        return news.order_by("-date", "-first_published_at")

    def profiles_for_items(self, items: list[WatchItem]) -> dict[int, set[int]]:
        """item id -> ids of the profiles it matches, for a batch of new items.

        Reads each profile dimension once (one query per relation) and matches in
        memory, so 1,000 items against 20,000 profiles is a few queries.
        """
        index: dict[str, dict[object, set[int]]] = defaultdict(lambda: defaultdict(set))
        for relation in (*TOPIC_RELATIONS, "followed_actors"):
            field = InterestProfile._meta.get_field(relation)
            through = field.remote_field.through
            target = field.m2m_reverse_field_name()
            for profile_id, term_id in through.objects.values_list(
                "interestprofile_id", f"{target}_id"
            ):
                index[relation][term_id].add(profile_id)
        keywords: dict[str, set[int]] = defaultdict(set)
        excluded: dict[int, list[str]] = {}
        for pk, countries, words, excluded_words in InterestProfile.objects.values_list(
            "pk", "countries", "keywords", "excluded_keywords"
        ):
            for code in filter(None, (countries or "").split(",")):
                index["countries"][code].add(pk)
            for word in words.splitlines():
                if fold(word):
                    keywords[fold(word)].add(pk)
            if excluded_words.strip():
                excluded[pk] = [fold(w) for w in excluded_words.splitlines() if fold(w)]

        item_terms = _item_terms([item.pk for item in items])
        result: dict[int, set[int]] = {}
        for item in items:
            matched: set[int] = set()
            for relation in TOPIC_RELATIONS:
                for term_id in item_terms[relation].get(item.pk, ()):
                    matched |= index[relation].get(term_id, set())
            for actor_id in item_terms["actors"].get(item.pk, ()):
                matched |= index["followed_actors"].get(actor_id, set())
            for code in item.countries:
                matched |= index["countries"].get(str(code), set())
            text = f" {item.keywords_text} "
            for word, profile_ids in keywords.items():
                if word in text:
                    matched |= profile_ids
            result[item.pk] = {
                pk for pk in matched if not any(w in text for w in excluded.get(pk, ()))
            }
        return result


def _item_terms(item_ids: list[int]) -> dict[str, dict[int, list[int]]]:
    terms: dict[str, dict[int, list[int]]] = {}
    for relation in (*TOPIC_RELATIONS, "actors"):
        through, target = _through(relation)
        by_item: dict[int, list[int]] = defaultdict(list)
        rows = through.objects.filter(watchitem_id__in=item_ids)
        if relation == "actors":  # a hidden actor matches nobody's follow
            rows = rows.filter(**{f"{target}__in": visible_actors()})
        for item_id, term_id in rows.values_list("watchitem_id", f"{target}_id"):
            by_item[item_id].append(term_id)
        terms[relation] = by_item
    return terms


def profile_has_interests(profile: InterestProfile) -> bool:
    return bool(
        any(getattr(profile, r).exists() for r in TOPIC_RELATIONS)
        or profile.countries
        or profile.keyword_list()
        or profile.followed_actors.exists()
    )


DATABASE_MATCHER = "cobioe_cms.watch.matching.DatabaseMatcher"
PERCOLATOR_MATCHER = "cobioe_cms.watch.percolator.PercolatorMatcher"


def get_matcher() -> Matcher:
    from cobioe_cms.search.conf import search_settings

    path = conf.WATCH_MATCHER or (
        PERCOLATOR_MATCHER if search_settings().configured else DATABASE_MATCHER
    )
    return import_string(path)()
