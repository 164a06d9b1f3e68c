"""Loading simulated records in bulk: COPY in parallel on PostgreSQL, bulk_create elsewhere."""

import os
import time
import traceback

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
REBUILD_FROM = 100_000


def _copy_part(args) -> int:
    seed, start, count, part, parts, existing = args
    generator = RecordGenerator(seed=seed, start=start, part=part, parts=parts, existing=existing)
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


def _in_children(function, arguments: list) -> None:
    """Run function(argument) in one forked process per argument, and wait for all.

    Plain os.fork rather than multiprocessing: multiprocessing's after-fork hooks make
    the child close inherited broker connections (kombu), which can block forever.
    The parent has closed its database connections; each child opens its own.
    """
    connections.close_all()
    children = []
    for argument in arguments:
        pid = os.fork()
        if pid == 0:  # the child
            status = 0
            try:
                function(argument)
            except BaseException:
                traceback.print_exc()
                status = 1
            finally:
                os._exit(status)
        children.append(pid)
    failed = [pid for pid in children if os.waitpid(pid, 0)[1] != 0]
    if failed:
        raise RuntimeError(f"{len(failed)} of {len(children)} loading processes failed")


def _take(iterator, n):
    for _ in range(n):
        yield next(iterator)


def _run_sql(sql: str) -> float:
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
    # Rebuilding the indexes pays off only when the load is large next to the table.
    indexes = _secondary_indexes() if count >= max(REBUILD_FROM, start - 1) else []
    timings = {}
    with connection.cursor() as cursor:
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
    sizes = [count // workers + (i < count % workers) for i in range(workers)]
    parts = [(seed, start + sum(sizes[:i]), sizes[i], i, workers, existing) for i in range(workers)]
    started = time.monotonic()
    _in_children(_copy_part, parts)
    timings["copy"] = time.monotonic() - started
    log(f"copied {count} rows in {timings['copy']:.1f} s; building indexes")
    started = time.monotonic()
    statements = [sql for _, sql in indexes]
    for first in range(0, len(statements), workers):  # at most `workers` at a time
        _in_children(_run_sql, statements[first : first + workers])
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
