"""Dask-mode reading for ``sql_source``: one query per partition, split on ``index_col``.

``dask.dataframe.read_sql_table`` / ``read_sql_query`` find the column's minimum and maximum,
cut that range into ``partitions`` (or into ~256 MiB pieces when ``partitions`` is 0) and read
each piece with its own ``WHERE index_col >= lo AND index_col < hi``, in parallel, when the
frame is computed. Each task opens its own connection from the URL (tasks may run on other
machines), so this path does not use the run's shared engine. A query is wrapped as
``SELECT * FROM (<query>) AS pypeline_q`` with its parameters still bound, never formatted in.
The partitioning column stays an ordinary column, as in pandas mode.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import dask.dataframe as dd
    from sqlalchemy.engine import Engine

    from pypeline_sql.cancel import Canceller


def read_dask(
    engine: Engine,
    query: str | None,
    table: str | None,
    schema: str | None,
    params: dict[str, Any],
    index_col: str,
    partitions: int,
    dtypes: dict[str, str],
    stop: Canceller,
) -> tuple[dd.DataFrame, int]:
    """The lazy partitioned frame and its row count (one ``COUNT(*)`` on the server).

    ``dtypes`` is applied to every partition as it is read; the frame's metadata is the empty
    frame Dask sampled, cast the same way, so a bad column name fails here, not at compute.
    """
    import dask.dataframe as dd
    import sqlalchemy as sa

    from pypeline_sql.engines import engine_options

    url = engine.url.render_as_string(hide_password=False)
    options: dict[str, Any] = {
        "index_col": index_col,
        "npartitions": partitions or None,
        "engine_kwargs": engine_options(engine.url),
    }
    if query:
        inner = sa.text(query).bindparams(**params).columns().subquery("pypeline_q")
        selectable = sa.select(sa.text("*")).select_from(inner)
        frame = dd.read_sql_query(selectable, url, **options)  # type: ignore[attr-defined,no-untyped-call]
    else:
        assert table
        frame = dd.read_sql_table(table, url, schema=schema or None, **options)  # type: ignore[attr-defined,no-untyped-call]
        target = sa.Table(table, sa.MetaData(), schema=schema or None, autoload_with=engine)
        selectable = sa.select(target)
    with stop.connect(engine) as conn:  # the partitions are read later, by Dask's tasks
        count = conn.execute(sa.select(sa.func.count()).select_from(selectable.subquery()))
        rows = int(count.scalar_one())
    result: dd.DataFrame = frame.reset_index()
    if dtypes:
        from pypeline_sql.reading import cast

        meta = cast(result._meta.copy(), dtypes)
        result = result.map_partitions(cast, dtypes, meta=meta)  # type: ignore[no-untyped-call]
    return result, rows
