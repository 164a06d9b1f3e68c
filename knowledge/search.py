"""Finding answers to what a caller asks, accent-insensitively, best first.

On PostgreSQL: full-text search over the folded text (`simple` configuration, no
stemming: Vietnamese words are syllables), any word matching, ranked by cover density
with the question weighing most. Elsewhere (SQLite in `make run`): the folded words
counted in each published answer, question words counting double.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F

from callcenter import cache
from citizens.text import fold

from .models import Answer

# Words that say nothing about the question (folded): a caller's "tôi", "thì", "ạ".
STOPWORDS = frozenset(
    {
        "a", "ai", "anh", "ban", "cho", "chi", "co", "cua", "da", "de", "duoc", "gi",
        "hay", "hoi", "khi", "khong", "la", "luc", "ma", "minh", "nao", "nay", "nhe",
        "nhu", "nhung", "o", "oi", "roi", "se", "thi", "toi", "va", "vay", "ve", "voi", "xin",
        "em",
    }
)  # fmt: skip
# Words in nearly every answer ("thẻ căn cước công dân"): alone they rank nothing, so
# they count only within a pair of neighbouring words ("mất thẻ"). So does any word in
# more than FREQUENT of the published answers (`frequent_words`): matching every answer
# it is in would only make ranking them slow.
COMMON = frozenset(["the", "can", "cuoc", "cong", "dan", "cccd"])
FREQUENT = 0.2
FREQUENT_KEY = "knowledge:frequent-words"
FREQUENT_SECONDS = 3600
MAX_WORDS = 24
LIMIT = 5


def words(text: str) -> list[str]:
    """The folded words of `text` worth matching, in order, each once."""
    seen = []
    for word in re.findall(r"[a-z0-9]+", fold(text)):
        if word not in STOPWORDS and word not in seen:
            seen.append(word)
    return seen[:MAX_WORDS]


def search(text: str, *, limit: int = LIMIT, published_only: bool = True) -> list[Answer]:
    """The answers that best match `text` (a question, a summary being typed)."""
    found = words(text)
    if not found:
        return []
    answers = Answer.objects.defer("search_vector", "search_key")
    if published_only:
        answers = answers.filter(status=Answer.Status.PUBLISHED)
    if connection.vendor == "postgresql":
        return _full_text(answers, found, limit)
    return _counted(answers, found, limit)


def frequent_words() -> frozenset[str]:
    """The words in more than FREQUENT of the published answers (PostgreSQL's ts_stat
    over their vectors), cached until an answer is saved (services.forget_frequent)."""
    found = cache.get(FREQUENT_KEY)
    if found is None:
        table = connection.ops.quote_name(Answer._meta.db_table)
        inner = f"SELECT search_vector FROM {table} WHERE status = 'published'"
        sql = (
            f"SELECT word FROM ts_stat(%s) WHERE ndoc > "
            f"(SELECT count(*) * %s FROM {table} WHERE status = 'published')"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [inner, FREQUENT])
            found = frozenset(row[0] for row in cursor.fetchall())
        cache.set(FREQUENT_KEY, found, FREQUENT_SECONDS)
    return found


def _terms(found: list[str], frequent: frozenset[str]) -> str:
    """A tsquery: any telling word, or any pair of neighbouring words as a phrase (a
    Vietnamese word is often two syllables: "làm lại", "lệ phí"); a word common to many
    answers counts only within its pairs."""
    pairs = [
        f"({a} <-> {b})"
        for a, b in zip(found, found[1:], strict=False)
        if not (a in COMMON and b in COMMON)
    ]
    singles = [w for w in found if w not in COMMON and w not in frequent]
    return " | ".join(pairs + singles) or " | ".join(found)


def _full_text(answers, found: list[str], limit: int) -> list[Answer]:
    terms = _terms(found, frequent_words())
    query = SearchQuery(terms, search_type="raw", config="simple")
    rank = SearchRank(F("search_vector"), query, cover_density=True, normalization=1)
    ranked = answers.filter(search_vector=query).annotate(rank=rank)
    return list(ranked.order_by("-rank", "slug")[:limit])


def _counted(answers, found: list[str], limit: int) -> list[Answer]:
    scored = []
    for answer in answers.only("pk", "search_key", "question"):
        key, question = set(answer.search_key.split()), set(fold(answer.question).split())
        score = sum(2 if w in question else 1 for w in found if w in key)
        if score:
            scored.append((score, answer.pk))
    scored.sort(key=lambda item: (-item[0], item[1]))
    pks = [pk for _, pk in scored[:limit]]
    by_pk = Answer.objects.in_bulk(pks)
    return [by_pk[pk] for pk in pks]
