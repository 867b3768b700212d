"""Staff groups and their permissions: `migrate` alone sets them up.

Editors write and submit articles for review; Publishers also publish, schedule
and unpublish articles and translations and manage contact lines and
disclaimers; "Translators: <language>" edit the fields of their language only
(the admin enforces it with the i18n.translate_<lang> permission).
"""

from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW = "view"
CONTENT = ["articles.article", "articles.topic", "clinic.contactline", "clinic.disclaimer"]


def _perms(model_labels, actions):
    return [f"{label.split('.')[0]}.{action}_{label.split('.')[1]}" for label in model_labels for action in actions]


def _target_languages():
    source = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    return [(code, str(name)) for code, name in settings.LANGUAGES if code != source]


def _translate_perms():
    return [f"i18n.translate_{code.replace('-', '_')}" for code, _name in _target_languages()]


def groups():
    editors = [
        *_perms(["articles.article", "articles.topic", "articles.reference"], ["add", "change", VIEW]),
        *_perms(["clinic.contactline", "clinic.disclaimer", "i18n.translationstate"], [VIEW]),
        "articles.submit_article",
        *_translate_perms(),
    ]
    publishers = [
        *editors,
        *_perms(["articles.article", "articles.topic", "articles.reference"], ["delete"]),
        *_perms(["clinic.contactline", "clinic.disclaimer"], ["add", "change", "delete"]),
        "articles.publish_article",
        "i18n.publish_translation",
    ]
    result = {"Editors": editors, "Publishers": publishers}
    for code, name in _target_languages():
        result[f"Translators: {name}"] = [
            *_perms(CONTENT, [VIEW, "change"]),
            "i18n.view_translationstate",
            f"i18n.translate_{code.replace('-', '_')}",
        ]
    return result


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in groups().items():
        group, _created = Group.objects.get_or_create(name=name)
        permissions = []
        for code in codes:
            app_label, codename = code.split(".")
            permissions.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(groups())).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("clinic", "0001_initial"),
        ("articles", "0002_article_version_and_permissions"),
        ("i18n", "0002_translation_permissions"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
