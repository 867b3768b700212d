import django.contrib.postgres.search
from django.db import migrations, models


def fill(apps, schema_editor):
    """Each document's title and summary lexemes and its article's date, if published."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "UPDATE articles_searchdocument AS document "
            "SET rank_vector = ts_filter(document.vector, '{a,b}'), "
            "published_at = CASE WHEN article.status = 'published' "
            "THEN article.published_at END "
            "FROM articles_article AS article WHERE article.id = document.article_id"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_search_documents"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="rank_vector",
            field=django.contrib.postgres.search.SearchVectorField(null=True),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="published_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
