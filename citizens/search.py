"""Finding card applications: by CCCD number, old ID number, full name + date of birth,
or a fuzzy name within a province or birth year.

Names are compared through `name_key` (folded: no accents, `đ` → `d`, lower case).
On PostgreSQL, similar names are ranked by pg_trgm similarity; elsewhere (SQLite in
`make run`) by difflib over a bounded candidate set, which finds the same people
except where both the family and the given name are misspelt.
"""

import datetime
import difflib
import itertools
from dataclasses import dataclass, field

from django.db import connections, router
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone

from callcenter import cache
from callcenter.calendar import working_days_between

from .models import IN_PROGRESS, CardApplication, SearchKind
from .text import fold

MAX_RESULTS = 20
LEGAL_WORKING_DAYS = 7
# How alike two folded names must be to count as "close": trigram similarity on
# PostgreSQL, difflib's ratio elsewhere (a stricter scale for the same names).
SIMILAR_NAME = 0.5
SIMILAR_NAME_FALLBACK = 0.8
FALLBACK_CANDIDATES = 5000
VOCABULARY_SECONDS = 3600


Kind = SearchKind


@dataclass
class Match:
    application: CardApplication
    score: float = 1.0  # 1 for an exact match
    working_days: int = 0  # since lodging, up to today or until printed/rejected
    overdue_days: int = 0  # past the legal limit, for applications still in progress
    notes: list = field(default_factory=list)

    @property
    def exact(self) -> bool:
        return self.score >= 1.0

    @property
    def stuck(self) -> bool:
        return self.overdue_days > 0

    @property
    def in_progress(self) -> bool:
        return self.application.status in IN_PROGRESS


def describe(application: CardApplication, score: float = 1.0) -> Match:
    """The application with how long it has taken against the legal limit."""
    today = timezone.localdate()
    if application.status in IN_PROGRESS:
        days = working_days_between(application.lodged_on, today)
        return Match(application, score, days, max(0, days - LEGAL_WORKING_DAYS))
    finished = application.printed_on or application.rejected_on or today
    return Match(application, score, working_days_between(application.lodged_on, finished))


def _records():
    """The connection the card applications are read from (see routers.py)."""
    return connections[router.db_for_read(CardApplication)]


def _postgres() -> bool:
    return _records().vendor == "postgresql"


def by_cccd(number: str) -> list[Match]:
    rows = CardApplication.objects.filter(cccd_number=number).order_by("-lodged_on")
    return [describe(a) for a in rows[:MAX_RESULTS]]


def by_old_id(number: str) -> list[Match]:
    rows = CardApplication.objects.filter(old_id_number=number).order_by("-lodged_on")
    return [describe(a) for a in rows[:MAX_RESULTS]]


def by_name_and_birth(full_name: str, date_of_birth: datetime.date) -> list[Match]:
    """Exact folded name on that birthday first, then similar names on the same day
    (a typo, a missing middle name)."""
    key = fold(full_name)
    same_day = CardApplication.objects.filter(date_of_birth=date_of_birth)
    exact_rows = same_day.filter(name_key=key).order_by("-lodged_on")[:MAX_RESULTS]
    exact = [describe(a) for a in exact_rows]
    room = MAX_RESULTS - len(exact)
    words = key.split()
    if room <= 0 or not words:
        return exact
    # Close names: the same family and given name, each allowing a typo.
    others = same_day.exclude(name_key=key).filter(
        family_key__in=close_words(words[0], "family_key"),
        given_key__in=close_words(words[-1], "given_key"),
    )
    return exact + _similar(others, key, room)


def fuzzy(query: str, *, province: str = "", birth_year: int | None = None) -> list[Match]:
    """Similar names within a province and/or birth year, best first.

    Candidates share a family name and a given name with the query, each allowing a
    typo (close words from the vocabulary of names on record); the middle name may be
    missing or wrong. That keeps the candidates to a few thousand rows, found by index,
    which pg_trgm (or difflib) then ranks. One word, or two that find no whole name,
    are part of a name (see `partial`).
    """
    words = fold(query).split()
    if not words:
        return []
    scope = CardApplication.objects.all()
    if province:
        scope = scope.filter(province_code=province)
    if birth_year:
        scope = scope.filter(
            date_of_birth__gte=datetime.date(birth_year, 1, 1),
            date_of_birth__lte=datetime.date(birth_year, 12, 31),
        )
    if len(words) == 1:
        return partial(scope, words)
    key = " ".join(words)
    families = close_words(words[0], "family_key")
    givens = close_words(words[-1], "given_key")
    if province and not birth_year and _postgres():
        found = _similar_in_province(province, families, givens, key, MAX_RESULTS)
    else:
        rows = scope.filter(family_key__in=families, given_key__in=givens)
        found = _similar(rows, key, MAX_RESULTS)
    return found if found or len(words) > 2 else partial(scope, words)


PARTIAL_SCORE = 0.5  # a candidate, not a match of the whole name


def partial(scope, words: list[str]) -> list[Match]:
    """One or two words heard of a name ("chị Hoa, họ Nguyễn": `nguyen`, `hoa nguyen`,
    `van an`): the people whose family and/or given name they are, exact spellings
    before close ones, applications still in progress (why people call) before the
    others, then the latest; capped at MAX_RESULTS."""
    exact, close = _partial_filters(words)
    in_progress = Case(When(status__in=IN_PROGRESS, then=1), default=0)
    found = []
    for match in (exact, close & ~exact):
        room = MAX_RESULTS - len(found)
        if room <= 0:
            break
        rows = scope.filter(match).annotate(in_progress=in_progress)
        found += rows.order_by("-in_progress", "-lodged_on", "-id")[:room]
    return [describe(a, PARTIAL_SCORE) for a in found]


def _partial_filters(words: list[str]) -> tuple[Q, Q]:
    """(exact, close) conditions for a partial name: one word as the family or given
    name; two as given + family ("hoa nguyen"), family + middle or middle + given."""
    if len(words) == 1:
        (word,) = words
        exact = Q(family_key=word) | Q(given_key=word)
        close = Q(family_key__in=close_words(word, "family_key")) | Q(
            given_key__in=close_words(word, "given_key")
        )
        return exact, close
    first, second = words
    reversed_exact = Q(family_key=second, given_key=first)
    with_middle = Q(family_key=first, name_key__startswith=f"{first} {second} ") | Q(
        given_key=second, name_key__contains=f" {first} "
    )
    reversed_close = Q(
        family_key__in=close_words(second, "family_key"),
        given_key__in=close_words(first, "given_key"),
    )
    return reversed_exact | with_middle, reversed_close | with_middle


def close_words(word: str, column: str) -> list[str]:
    """The word and the recorded names that look like a misspelling of it."""
    # One wrong letter in a two-letter name (Lê, Hồ) scores 0.5.
    cutoff = 0.5 if len(word) <= 2 else 0.6
    return [word, *difflib.get_close_matches(word, vocabulary(column), n=8, cutoff=cutoff)]


def vocabulary(column: str) -> list[str]:
    """Every distinct family (or given) name on record, cached: a few hundred words."""
    key = f"citizens:vocabulary:{column}"
    words = cache.get(key)
    if words is None:
        words = _distinct(column)
        cache.set(key, words, VOCABULARY_SECONDS)
    return words


def forget_vocabulary() -> None:
    for column in ("family_key", "given_key"):
        cache.delete(f"citizens:vocabulary:{column}")


def _distinct(column: str) -> list[str]:
    if not _postgres():
        return list(CardApplication.objects.values_list(column, flat=True).distinct())
    # A loose index scan: one index probe per distinct value instead of reading 10M rows.
    records = _records()
    table = records.ops.quote_name(CardApplication._meta.db_table)
    column = records.ops.quote_name(column)
    sql = (
        f"WITH RECURSIVE words(w) AS (SELECT min({column}) FROM {table} UNION ALL "
        f"SELECT (SELECT min({column}) FROM {table} WHERE {column} > w) FROM words "
        f"WHERE w IS NOT NULL) SELECT w FROM words WHERE w IS NOT NULL"
    )
    with records.cursor() as cursor:
        cursor.execute(sql)
        return [row[0] for row in cursor.fetchall()]


def _similar(rows, key: str, limit: int) -> list[Match]:
    """The rows whose name is close to `key`: the same family and given name first
    (a missing middle name), then by similarity, then the latest application."""
    words = key.split()
    if not words:
        return []
    same_ends = Case(
        When(family_key=words[0], given_key=words[-1], then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    rows = rows.annotate(same_ends=same_ends)
    if _postgres():
        from django.contrib.postgres.search import TrigramSimilarity

        ranked = (
            rows.annotate(score=TrigramSimilarity("name_key", key))
            .filter(score__gte=SIMILAR_NAME)
            .order_by("-same_ends", "-score", "-lodged_on")[:limit]
        )
        return [describe(a, _score(a, key, a.score)) for a in ranked]
    return _similar_fallback(rows, key, limit)


def _similar_in_province(
    province: str, families: list[str], givens: list[str], key: str, limit: int
) -> list[Match]:
    """`_similar` within one province on PostgreSQL, ranking names instead of rows.

    A common name in a big province has hundreds of thousands of candidate rows but a
    few hundred distinct names: those are read off `application_prov_names` alone (a
    loose index scan, one probe per name) and ranked; then only the best names' latest
    applications are fetched. The ranking (same ends, similarity) depends on the name
    alone, so the order is `_similar`'s: names tied on it share their places by
    lodging date."""
    found = []
    ranked = _ranked_names(province, families, givens, key)
    for (_, score), tier in itertools.groupby(ranked, key=lambda row: row[1:3]):
        room = limit - len(found)
        if room <= 0:
            break
        latest = [
            CardApplication.objects.filter(
                province_code=province, family_key=family, given_key=given, name_key=name
            ).order_by("-lodged_on")[:room]
            for name, _, _, family, given in tier
        ]
        if len(latest) > 1:
            latest = [latest[0].union(*latest[1:], all=True).order_by("-lodged_on")[:room]]
        found += [describe(a, _score(a, key, score)) for a in latest[0]]
    return found


def _ranked_names(
    province: str, families: list[str], givens: list[str], key: str
) -> list[tuple[str, bool, float, str, str]]:
    """(name, same ends, similarity, family key, given key) of the distinct names in
    the province whose family and given name are among those asked for and which are
    close to `key`, best first."""
    records = _records()
    table = records.ops.quote_name(CardApplication._meta.db_table)
    first = (
        f"SELECT min(name_key) FROM {table} WHERE province_code = %(province)s"
        " AND family_key = {0}.f AND given_key = {0}.g"
    )
    sql = (
        "WITH RECURSIVE pairs AS (SELECT f, g FROM unnest(%(families)s::text[]) AS f"
        " CROSS JOIN unnest(%(givens)s::text[]) AS g),"
        f" names(f, g, n) AS (SELECT f, g, ({first.format('pairs')}) FROM pairs"
        f" UNION ALL SELECT f, g, ({first.format('names')} AND name_key > names.n)"
        " FROM names WHERE n IS NOT NULL)"
        " SELECT n, f = %(family)s AND g = %(given)s, similarity(n, %(key)s), f, g"
        " FROM names WHERE n IS NOT NULL AND similarity(n, %(key)s) >= %(least)s"
        " ORDER BY 2 DESC, 3 DESC, 1"
    )
    words = key.split()
    params = {
        "families": list(dict.fromkeys(families)),
        "givens": list(dict.fromkeys(givens)),
        "province": province,
        "family": words[0],
        "given": words[-1],
        "key": key,
        "least": SIMILAR_NAME,
    }
    with records.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _score(application, key: str, similarity: float) -> float:
    # 1.0 means "exactly the name asked for"; trigrams ignore word order, so a
    # different name can reach 1.0 too.
    return 1.0 if application.name_key == key else min(round(similarity, 3), 0.999)


def _similar_fallback(rows, key: str, limit: int) -> list[Match]:
    scored = []
    for application in rows[:FALLBACK_CANDIDATES]:
        score = difflib.SequenceMatcher(None, key, application.name_key).ratio()
        if score >= SIMILAR_NAME_FALLBACK:
            scored.append((application.same_ends, score, application.lodged_on, application))
    scored.sort(key=lambda item: item[:3], reverse=True)
    return [describe(a, _score(a, key, score)) for _, score, _, a in scored[:limit]]


def run(kind: str, criteria: dict) -> list[Match]:
    """Dispatch a validated search (see forms.ApplicationSearchForm)."""
    if kind == Kind.CCCD:
        return by_cccd(criteria["cccd_number"])
    if kind == Kind.OLD_ID:
        return by_old_id(criteria["old_id_number"])
    if kind == Kind.NAME_DOB:
        return by_name_and_birth(criteria["full_name"], criteria["date_of_birth"])
    return fuzzy(
        criteria["q"], province=criteria.get("province", ""), birth_year=criteria.get("birth_year")
    )


def latest_by_name_birth_last4(
    full_name: str, date_of_birth: datetime.date, last4: str
) -> CardApplication | None:
    """A citizen's own look-up: their latest application with exactly this folded name
    and birthday whose CCCD (or old ID) number ends in `last4`. No near names: a
    citizen learns nothing about anyone else."""
    key = fold(full_name)
    rows = CardApplication.objects.filter(date_of_birth=date_of_birth, name_key=key)
    rows = rows.filter(Q(cccd_number__endswith=last4) | Q(old_id_number__endswith=last4))
    return rows.order_by("-lodged_on", "-id").first()
