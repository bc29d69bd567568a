"""Set-based writes: rows copied or deleted by one statement each, never loaded into Python.

No objects, no signals, no history: for the published copy (which keeps no history of its own)
and the synthetic data (which never had any).
"""

from django.db import connection, models


def insert_select(model: type[models.Model], rows: models.QuerySet, columns: dict) -> None:
    """INSERT INTO `model`'s table the values `columns` (column name: expression) take on
    `rows`, as `INSERT … SELECT`."""
    names = list(columns)
    selected = rows.order_by().values(**{f"v{i}": columns[name] for i, name in enumerate(names)})
    sql, params = selected.query.sql_with_params()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(map(quote, names))}) {sql}",
            params,
        )


def delete_rows(queryset: models.QuerySet) -> int:
    """DELETE the rows of `queryset` in one statement; returns how many went."""
    model = queryset.model
    quote = connection.ops.quote_name
    ids, params = queryset.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quote(model._meta.db_table)} "
            f"WHERE {quote(model._meta.pk.column)} IN ({ids})",
            params,
        )
        return cursor.rowcount
