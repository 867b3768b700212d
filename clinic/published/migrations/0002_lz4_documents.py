"""PostgreSQL: compress the stored JSON with lz4 instead of pglz (several times faster to
write and to read back; the documents are read on every uncached request)."""

from django.db import migrations

COLUMNS = ("list_json", "detail_json")


def use_lz4(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' "
            "AND 'lz4' = ANY(enumvals)"
        )
        if cursor.fetchone() is None:  # a server built without lz4 keeps pglz
            return
        for column in COLUMNS:
            cursor.execute(
                f"ALTER TABLE published_document ALTER COLUMN {column} SET COMPRESSION lz4"
            )


class Migration(migrations.Migration):
    dependencies = [("published", "0001_read_model")]

    operations = [migrations.RunPython(use_lz4, migrations.RunPython.noop, elidable=True)]
