"""Staff groups and their permissions, kept in sync with the configured languages.

Editors write and submit articles for review; Publishers also publish, schedule
and unpublish articles and translations and manage contact lines and
disclaimers; "Translators: <language>" edit the fields of their language only
(the admin enforces it with the ``i18n.translate_<lang>`` permission);
"Medical reviewers" record medical reviews (``reviews.review_medical_content``).
Every staff group may leave review and translator notes.

The ``clinic`` data migration creates the groups, and every ``migrate`` syncs
them again, so a newly added language gets its permission in Editors and
Publishers and its own translators' group.
"""

from django.contrib.auth.management import create_permissions

from clinic.i18n.languages import get_language, target_languages, translate_permission

CONTENT = ["articles.article", "articles.topic", "clinic.contactline", "clinic.disclaimer"]


def _perms(labels: list[str], actions: list[str]) -> list[str]:
    return [
        f"{label.split('.')[0]}.{action}_{label.split('.')[1]}"
        for label in labels
        for action in actions
    ]


def _target_languages() -> list[tuple[str, str]]:
    return [(code, get_language(code).name) for code in target_languages()]


def _translate(code: str) -> str:
    return translate_permission(code)


def staff_groups() -> dict[str, list[str]]:
    """Group name → ``app_label.codename`` permissions."""
    translate_all = [_translate(code) for code, _name in _target_languages()]
    content = ["articles.article", "articles.topic", "articles.reference"]
    editors = [
        *_perms(content, ["add", "change", "view"]),
        *_perms(["clinic.contactline", "clinic.disclaimer", "i18n.translationstate"], ["view"]),
        *_perms(["reviews.medicalreview", "reviews.reviewer", "reviews.reviewnote"], ["view"]),
        *_perms(["reviews.reviewnote"], ["add", "change"]),
        "articles.submit_article",
        *translate_all,
    ]
    publishers = [
        *editors,
        *_perms(content, ["delete"]),
        *_perms(["clinic.contactline", "clinic.disclaimer"], ["add", "change", "delete"]),
        "articles.publish_article",
        "i18n.publish_translation",
    ]
    # Medical reviewers sign reviews as the reviewer profile linked to their account (which a
    # superuser creates); they read everything they review and its history.
    reviewers = [
        *_perms([*content, "clinic.contactline", "clinic.disclaimer"], ["view"]),
        *_perms(["reviews.medicalreview", "reviews.reviewer"], ["view"]),
        *_perms(["reviews.reviewnote"], ["add", "change", "view"]),
        "i18n.view_translationstate",
        "reviews.review_medical_content",
    ]
    groups = {"Editors": editors, "Publishers": publishers, "Medical reviewers": reviewers}
    for code, name in _target_languages():
        groups[f"Translators: {name}"] = [
            *_perms(CONTENT, ["view", "change"]),
            "i18n.view_translationstate",
            *_perms(["reviews.reviewnote"], ["add", "change", "view"]),
            _translate(code),
        ]
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
