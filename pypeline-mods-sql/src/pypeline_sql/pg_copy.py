"""PostgreSQL's fast path: ``COPY ... FROM STDIN`` through psycopg 3's copy API.

One ``COPY`` streams every row in a single statement, which PostgreSQL parses far faster than
INSERTs (no per-row planning, no parameter round trips). Arrow's C++ CSV writer encodes each
batch of ``batch_size`` rows, and ``cursor.copy().write()`` sends it, on the connection of the
sink's transaction, so a failed COPY rolls back with the rest. CSV is the format because its
null is unambiguous: Arrow quotes every string, so ``""`` is an empty string and an unquoted
empty field is NULL, exactly as ``COPY ... (FORMAT csv)`` reads them. Upserts COPY into a
temporary table, then run one ``INSERT ... SELECT ... ON CONFLICT``.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa
    import sqlalchemy as sa


def copyable(data: pa.Table) -> bool:
    """Whether every column has a CSV form PostgreSQL reads back as the same value."""
    import pyarrow as pa

    kinds = (
        pa.types.is_boolean,
        pa.types.is_integer,
        pa.types.is_floating,
        pa.types.is_decimal,
        pa.types.is_string,
        pa.types.is_large_string,
        pa.types.is_date,
        pa.types.is_timestamp,
        pa.types.is_time,
    )
    return all(any(kind(field.type) for kind in kinds) for field in data.schema)


def copy_into(
    conn: sa.Connection,
    table: Any,
    data: pa.Table,
    batch_size: int,
    between: Callable[[], None] = lambda: None,
) -> int:
    """COPY ``data`` into ``table`` (a Table or table clause) in the connection's transaction.

    ``between`` runs before each batch is sent (a cancelled run raises there).
    """
    import pyarrow.csv as pacsv

    preparer = conn.dialect.identifier_preparer
    columns = ", ".join(preparer.quote(name) for name in data.column_names)
    sql = f"COPY {preparer.format_table(table)} ({columns}) FROM STDIN (FORMAT csv)"
    options = pacsv.WriteOptions(include_header=False, quoting_style="needed")
    driver: Any = conn.connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(sql) as copy:
        for batch in data.to_batches(max_chunksize=batch_size):
            between()
            buffer = io.BytesIO()
            pacsv.write_csv(batch, buffer, options)
            copy.write(buffer.getbuffer())
    return int(data.num_rows)


def copy_upsert(
    conn: sa.Connection,
    table: sa.Table,
    data: pa.Table,
    keys: list[str],
    batch_size: int,
    between: Callable[[], None] = lambda: None,
) -> int:
    """COPY into a temporary table dropped at commit, then upsert from it in one statement."""
    import sqlalchemy as sa
    from sqlalchemy.dialects.postgresql import insert

    staging = f"pypeline_stage_{uuid.uuid4().hex[:12]}"
    target = conn.dialect.identifier_preparer.format_table(table)
    conn.exec_driver_sql(
        f"CREATE TEMPORARY TABLE {staging} (LIKE {target} INCLUDING DEFAULTS) ON COMMIT DROP"
    )
    copy_into(conn, sa.table(staging), data, batch_size, between)
    between()
    names = list(data.column_names)
    source: Any = sa.select(*[sa.column(n) for n in names]).select_from(sa.table(staging))
    stmt = insert(table).from_select(names, source)
    updates = {n: stmt.excluded[n] for n in names if n not in keys}
    if updates:
        stmt = stmt.on_conflict_do_update(index_elements=keys, set_=updates)
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=keys)
    conn.execute(stmt)
    return int(data.num_rows)
