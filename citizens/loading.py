"""Loading simulated records in bulk: COPY in parallel on PostgreSQL, bulk_create elsewhere."""

import multiprocessing
import time

from django.db import connection, connections, transaction

from .models import CardApplication
from .search import forget_vocabulary
from .seeding import (
    COLUMNS,
    MAX_PARTS,
    RecordGenerator,
    _IsoDates,
    as_dates,
    copy_lines,
    existing_prefix_counts,
)

CHUNK = 20_000


def _copy_part(args) -> int:
    seed, start, count, part, parts, existing = args
    connections.close_all()  # a forked child must not share the parent's socket
    generator = RecordGenerator(
        seed=seed, start=start, part=part, parts=parts, existing=existing
    )
    rows, iso = generator.rows(count), _IsoDates()
    table = CardApplication._meta.db_table
    sql = f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        done = 0
        while done < count:
            size = min(CHUNK, count - done)
            copy.write(copy_lines(_take(rows, size), iso))
            done += size
    connections.close_all()
    return count


def _take(iterator, n):
    for _ in range(n):
        yield next(iterator)


def _run_sql(sql: str) -> float:
    connections.close_all()
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute(sql)
    connections.close_all()
    return time.monotonic() - started


def _secondary_indexes() -> list[tuple[str, str]]:
    """(name, CREATE INDEX sql) of the Meta indexes: built after a large load rather
    than maintained row by row during it."""
    with connection.schema_editor(collect_sql=True) as editor:
        return [
            (i.name, str(i.create_sql(CardApplication, editor)))
            for i in CardApplication._meta.indexes
        ]


def load_postgresql(*, count: int, seed: int, start: int, workers: int, log) -> dict:
    """COPY `count` rows from `workers` processes, with secondary indexes dropped during
    the load and rebuilt in parallel afterwards. Returns timings in seconds."""
    workers = min(workers, MAX_PARTS)
    existing = existing_prefix_counts() if start > 1 else {}
    indexes = _secondary_indexes()
    timings = {}
    with connection.cursor() as cursor:
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
    connections.close_all()
    sizes = [count // workers + (i < count % workers) for i in range(workers)]
    parts = [
        (seed, start + sum(sizes[:i]), sizes[i], i, workers, existing) for i in range(workers)
    ]
    started = time.monotonic()
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        loaded = sum(pool.map(_copy_part, parts))
    timings["copy"] = time.monotonic() - started
    log(f"copied {loaded} rows in {timings['copy']:.1f} s; building indexes")
    started = time.monotonic()
    with context.Pool(workers) as pool:
        pool.map(_run_sql, [sql for _, sql in indexes])
    timings["indexes"] = time.monotonic() - started
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {CardApplication._meta.db_table}")
    timings["analyze"] = time.monotonic() - started
    forget_vocabulary()
    return timings


@transaction.atomic
def load_orm(*, count: int, seed: int, start: int) -> None:
    existing = existing_prefix_counts() if start > 1 else {}
    generator = RecordGenerator(seed=seed, start=start, existing=existing)
    rows = generator.rows(count)
    done = 0
    while done < count:
        size = min(5000, count - done)
        CardApplication.objects.bulk_create(
            [CardApplication(**as_dates(row)) for row in _take(rows, size)]
        )
        done += size
    forget_vocabulary()
