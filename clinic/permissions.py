"""Staff groups and their permissions, kept in sync with the configured languages.

Each app grants permissions on its content to staff roles in the content
registry (``clinic.content``, ``staff=``); the groups are those roles:

* "Editors" write and submit articles for review and edit every language;
* "Publishers" also publish, schedule and unpublish articles and translations
  and manage contact lines and disclaimers;
* "Translators: <language>" edit the fields of their language only (the admin
  enforces it with the ``i18n.translate_<lang>`` permission);
* "Medical reviewers" read all content and record medical reviews.

The ``clinic`` data migration creates the groups, and every ``migrate`` syncs
them again, so a newly added language gets its permission in Editors and
Publishers and its own translators' group.
"""

from django.contrib.auth.management import create_permissions

from clinic.content import Role, contents
from clinic.i18n.languages import get_language, target_languages, translate_permission


def _target_languages() -> list[tuple[str, str]]:
    return [(code, get_language(code).name) for code in target_languages()]


def _translate(code: str) -> str:
    return translate_permission(code)


def _granted(role: Role) -> list[str]:
    return [permission for content in contents() for permission in content.permissions(role)]


def staff_groups() -> dict[str, list[str]]:
    """Group name → ``app_label.codename`` permissions."""
    translate_all = [_translate(code) for code, _name in _target_languages()]
    groups = {
        "Editors": [*_granted(Role.EDITORS), *translate_all],
        "Publishers": [*_granted(Role.PUBLISHERS), *translate_all],
        "Medical reviewers": _granted(Role.REVIEWERS),
    }
    for code, name in _target_languages():
        groups[f"Translators: {name}"] = [*_granted(Role.TRANSLATORS), _translate(code)]
    return groups


def sync_staff_groups(apps) -> None:
    """Create or update every staff group (``apps``: the migration's or the live registry)."""
    for app_config in apps.get_app_configs():
        # Permissions are normally created after all migrations; create them now.
        # A migration's app configs are stubs that create_permissions would skip.
        stub = getattr(app_config, "models_module", None) is None
        if stub:
            app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        if stub:
            app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for name, codes in staff_groups().items():
        group, _created = group_model.objects.get_or_create(name=name)
        wanted = []
        for code in codes:
            app_label, codename = code.split(".")
            wanted += list(
                permission_model.objects.filter(
                    content_type__app_label=app_label, codename=codename
                )
            )
        group.permissions.add(*wanted)


def sync_staff_groups_after_migrate(sender, apps=None, **kwargs) -> None:
    """``post_migrate`` receiver: a language added since the data migration gets its groups.

    ``flush`` sends the signal without ``apps``: the live registry is used then.
    """
    from django.apps import apps as live_apps

    sync_staff_groups(apps or live_apps)
