"""Staff groups and their permissions: `migrate` alone sets them up (see clinic/permissions.py)."""

from django.db import migrations


def create_groups(apps, schema_editor):
    from clinic.permissions import sync_staff_groups

    sync_staff_groups(apps)


def remove_groups(apps, schema_editor):
    from clinic.permissions import staff_groups

    apps.get_model("auth", "Group").objects.filter(name__in=list(staff_groups())).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("clinic", "0001_initial"),
        ("articles", "0002_article_version_and_permissions"),
        ("i18n", "0002_translation_permissions"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
