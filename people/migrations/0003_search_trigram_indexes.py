"""Trigram indexes on the folded search columns, so that a word anywhere in a name (`LIKE
'%word%'`) is found through an index. PostgreSQL only (pg_trgm); SQLite searches without them.

pg_trgm ships with PostgreSQL and is a trusted extension (PostgreSQL 13+): the database owner may
create it. Where the migration's user may not, create it once beforehand as a superuser:
`CREATE EXTENSION pg_trgm;`
"""

from django.db import migrations

INDEXES = [
    ("people_person_search_name_trgm", "people_person", "search_name"),
    ("people_alias_search_name_trgm", "people_alias", "search_name"),
    ("people_organization_search_name_trgm", "people_organization", "search_name"),
    ("people_organizationalias_search_name_trgm", "people_organizationalias", "search_name"),
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
    dependencies = [("people", "0002_publish_and_revert_permissions")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
