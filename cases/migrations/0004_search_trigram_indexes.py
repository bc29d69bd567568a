"""A trigram index on the cases' folded titles (see people 0003). PostgreSQL only."""

from django.db import migrations

INDEXES = [("cases_case_search_title_trgm", "cases_case", "search_title")]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_roles"),
        ("people", "0003_search_trigram_indexes"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
