"""The profiles' analysed text as an index the database can look up.

``ActorPage.search_text`` holds a profile's tokens (:mod:`cobioe_cms.core.analysis`);
finding the profiles that hold a token by scanning that column reads every profile
(``LIKE '% token %'``, about 10 ms per condition at 10,000 profiles, and a synonym
group is a dozen conditions). This table holds the same tokens one row each, indexed
by token, so that a concept is an index lookup (exact tokens) or an index range (a
word's beginning), on SQLite and PostgreSQL alike. ``in_name`` and ``in_terms`` say
whether the token is also in the profile's ``search_name`` / ``search_terms`` (the
rank of :mod:`..text_search`).

The rows follow the columns: :func:`write_tokens` replaces a profile's rows whenever
its ``search_text`` is written (``ActorPage.save``, bulk inserts of the demo and
imports, a reworded taxonomy term, the migration that created the table).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, models

MAX_TOKEN_LENGTH = 100
BATCH = 5_000


class ActorSearchToken(models.Model):
    actor = models.ForeignKey(
        "cobioe_actors.ActorPage", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    token = models.CharField(max_length=MAX_TOKEN_LENGTH)
    in_name = models.BooleanField(default=False)
    in_terms = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["actor", "token"], name="actor_search_token_unique")
        ]
        indexes = [
            # Equality and, on PostgreSQL, LIKE 'prefix%' (a pattern operator class
            # serves both whatever the database's collation); SQLite reads a prefix
            # as a range of this same index. Covering: the rank's lookups of name and
            # terms tokens never read the table (3x faster for "bio" at 10,000).
            models.Index(
                fields=["token", "actor", "in_name", "in_terms"],
                name="actor_search_token_lookup",
                opclasses=["varchar_pattern_ops", "int4_ops", "bool_ops", "bool_ops"],
            ),
        ]

    def __str__(self) -> str:
        return self.token


def token_values(actor) -> list[tuple[int, str, bool, bool]]:
    """(actor id, token, in_name, in_terms) of each distinct token of a profile."""
    name = set(actor.search_name.split())
    terms = set(actor.search_terms.split())
    return [
        (actor.pk, token, token in name, token in terms)
        for token in dict.fromkeys(actor.search_text.split())
        if len(token) <= MAX_TOKEN_LENGTH
    ]


def write_tokens(actors: Iterable, *, replace: bool = True) -> int:
    """Replace the token rows of ``actors`` (saved profiles whose ``search_*`` columns
    are set) by those of their current text. ``replace=False`` for new profiles, which
    have none yet. Returns the number of rows written.

    Rows go in with ``executemany`` on tuples: 10,000 profiles are ~1.3 million rows,
    and building as many model instances took longer than inserting them."""
    actors = list(actors)
    if replace:
        pks = [actor.pk for actor in actors]
        for start in range(0, len(pks), BATCH):
            ActorSearchToken.objects.filter(actor_id__in=pks[start : start + BATCH]).delete()
    table = connection.ops.quote_name(ActorSearchToken._meta.db_table)
    sql = f"INSERT INTO {table} (actor_id, token, in_name, in_terms) VALUES (%s, %s, %s, %s)"  # noqa: S608 - no input
    written = 0
    with connection.cursor() as cursor:
        for start in range(0, len(actors), BATCH // 50):
            values = [
                row for actor in actors[start : start + BATCH // 50] for row in token_values(actor)
            ]
            if values:
                cursor.executemany(sql, values)
                written += len(values)
    return written
