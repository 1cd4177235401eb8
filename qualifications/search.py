"""Searching institutions by name: the public lookup and the open-data list (issue 13).

A query is split into words at any white space (full-width too): "广州 检测" finds the names that
contain both, in any order (广州市华测检测技术有限公司). Each word is compared case-insensitively
(``UPPER(name) LIKE '%WORD%'``, as Django's ``icontains``) and, on PostgreSQL, served by an
index (migration ``qualifications/0005``): a word of three or more characters by the trigram
index (``pg_trgm``), a word of one or two characters — most Chinese words — by the index of the
name's one- and two-character substrings (``tic_name_grams``), which trigrams cannot serve. On
the embedded SQLite default the same conditions run unindexed.

Order (:func:`name_search_page`): relevance, then pinyin — the name equal to the whole query
first, then names that start with its first word, then the others; within each, in pinyin
order (collation ``tic_pinyin``; code-point order on SQLite), then by USCC. A query that
matches more than :data:`RANKED_AT_MOST` names is not ranked: its first
:data:`RANKED_AT_MOST` names in pinyin order are shown (an index walk that stops at the page)
and the count says "more than". Every page costs a bounded plan, however common the word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import BooleanField, Case, F, Func, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Collate, Upper

#: at most this many words of a query are used (the rest is ignored)
MAX_WORDS = 6
#: a search matching more names than this is shown in pinyin order only, its count capped
RANKED_AT_MOST = 1000
_SPACE = re.compile(r"\s+")  # str.split's white space includes the full-width space U+3000
#: the collation of the pinyin order (migration 0005); SQLite orders by code point
PINYIN = "tic_pinyin"


def search_words(query: str) -> list[str]:
    """The distinct words of ``query`` (split at white space), in order, at most
    :data:`MAX_WORDS`."""
    words: list[str] = []
    for word in _SPACE.split(query.strip()):
        if word and word.upper() not in (w.upper() for w in words):
            words.append(word)
    return words[:MAX_WORDS]


class _NameGramsContain(Func):
    """``tic_name_grams(name) @> ARRAY[word]``: the name contains the one- or two-character
    ``word`` (PostgreSQL; served by the GIN index of migration 0005)."""

    output_field = BooleanField()

    def __init__(self, word: str):
        super().__init__(F("name"), Value(word.upper()))

    def as_sql(self, compiler, connection, **extra_context):
        name_sql, name_params = compiler.compile(self.source_expressions[0])
        word_sql, word_params = compiler.compile(self.source_expressions[1])
        return (f"tic_name_grams(({name_sql})::text) @> ARRAY[{word_sql}]::text[]",
                [*name_params, *word_params])


class _ILike(Func):
    """``name::text ILIKE '%word%'`` (PostgreSQL; the trigram index serves it): what
    ``icontains`` means, without the ``UPPER()`` of both sides that no index serves."""

    output_field = BooleanField()

    def __init__(self, word: str):
        pattern = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        super().__init__(F("name"), Value(f"%{pattern}%"))

    def as_sql(self, compiler, connection, **extra_context):
        name_sql, name_params = compiler.compile(self.source_expressions[0])
        pattern_sql, pattern_params = compiler.compile(self.source_expressions[1])
        return f"({name_sql})::text ILIKE {pattern_sql}", [*name_params, *pattern_params]


def _contains_q(word: str) -> Q:
    """The name contains ``word``, case-insensitively. PostgreSQL: ``LIKE`` for a word without
    letters that have a case (Chinese: twice as fast as ``ILIKE`` in a recheck of 30,000
    rows), else ``ILIKE``; both served by the trigram index. SQLite: ``icontains``."""
    if connection.vendor != "postgresql":
        return Q(name__icontains=word)
    if word.upper() == word.lower():
        return Q(name__contains=word)
    return Q(_ILike(word))


def name_filter_q(words: list[str], *, grams: bool = True) -> Q:
    """Names containing every word (case-insensitively, :func:`_contains_q`).

    On PostgreSQL, when every word has one or two characters and ``grams`` is true, each is
    served by the index of the names' short substrings instead (exact: the database never
    rechecks a row). When a word has three characters or more, the trigram index serves it and
    the short words stay ``LIKE`` filters: a trigram match is rechecked row by row, and
    ``tic_name_grams`` is too costly to run in a recheck (30,000 rows: 0.3 s). ``grams=False``:
    ``LIKE`` only, the cheap filter of an index walk in another order (thousands of matches).
    """
    use_grams = (grams and connection.vendor == "postgresql"
                 and all(len(word) <= 2 for word in words))
    q = Q()
    for word in words:
        q &= Q(_NameGramsContain(word)) if use_grams else _contains_q(word)
    return q


def _pinyin_order() -> list:
    name = Collate("name", PINYIN) if connection.vendor == "postgresql" else F("name")
    return [name.asc(), F("uscc").asc()]


class CountedPaginator(Paginator):
    """A paginator told its count (a capped one, :func:`name_search_page`), which it does not
    ask the queryset for."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        self._known_count = count
        super().__init__(object_list, per_page, **kwargs)

    @cached_property
    def count(self) -> int:
        """The count given."""
        return self._known_count


@dataclass(frozen=True)
class NameSearch:
    """The matches of a name search, ordered (see the module docstring): ``queryset``;
    ``count``, at most :data:`RANKED_AT_MOST` when ``more`` is true (then there are more
    matches than that and ``queryset`` is cut to the first ones, in pinyin order)."""

    queryset: QuerySet
    count: int
    more: bool


def name_search(queryset: QuerySet, *, query: str, extra: Q | None = None) -> NameSearch:
    """Search ``queryset`` (of institutions) for ``query``'s words, or ``extra`` (e.g. the exact
    USCC), ranked (see the module docstring). Two queries at most before the page: the
    capped count, and the page itself when the queryset is evaluated."""
    words = search_words(query)
    if not words:
        return NameSearch(queryset.none(), 0, False)
    matches = name_filter_q(words)
    if extra is not None:
        matches |= extra
    found = queryset.filter(matches)
    count = found.order_by().values("pk")[:RANKED_AT_MOST + 1].count()
    if count > RANKED_AT_MOST:
        walk = name_filter_q(words, grams=False)
        if extra is not None:
            walk |= extra
        ordered = queryset.filter(walk).order_by(*_pinyin_order())[:RANKED_AT_MOST]
        return NameSearch(ordered, RANKED_AT_MOST, True)
    whole = " ".join(words).upper()
    tier = Case(When(Q(name_upper=whole), then=Value(0)),
                When(Q(name_upper__startswith=words[0].upper()), then=Value(1)),
                default=Value(2), output_field=IntegerField())
    ordered = (found.alias(name_upper=Upper("name")).alias(relevance=tier)
               .order_by("relevance", *_pinyin_order()))
    return NameSearch(ordered, count, False)
