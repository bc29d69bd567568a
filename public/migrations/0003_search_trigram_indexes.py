"""Trigram indexes on the copy's folded names and titles, so that a search (`LIKE '%word%'`) is
found through an index, as on the working records (people 0003). PostgreSQL only (pg_trgm);
SQLite searches without them."""

from django.db import migrations

INDEXES = [
    ("public_case_search_title_trgm", "public_case", "search_title"),
    ("public_person_search_name_trgm", "public_person", "search_name"),
    ("public_alias_search_name_trgm", "public_alias", "search_name"),
    ("public_organization_search_name_trgm", "public_organization", "search_name"),
    ("public_organizationalias_search_name_trgm", "public_organizationalias", "search_name"),
]


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
    dependencies = [("public", "0002_case_list_index")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
