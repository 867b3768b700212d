"""Who may translate and edit the new language: permissions, staff groups, admin forms."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from clinic.i18n.languages import source_language
from clinic.i18n.registry import localized, translatable_fields, translatable_models

from .common import CONTENT_APPS, check, client, ok, say


def check_permissions(language: str, before: list[str]) -> None:
    """Permissions the models declare exist; staff groups cover the new language as the others."""
    say(f"Permissions and staff groups cover {language}")
    check_declared_permissions()
    check_staff_groups(language, before)


def check_declared_permissions() -> None:
    """Every permission a content model declares in ``Meta.permissions`` exists."""
    declared = 0
    for app in CONTENT_APPS:
        for model in apps.get_app_config(app).get_models():
            content_type = ContentType.objects.get_for_model(model)
            for codename, _name in model._meta.permissions:
                declared += 1
                check(
                    Permission.objects.filter(
                        content_type=content_type, codename=codename
                    ).exists(),
                    f"permission {model._meta.app_label}.{codename} is missing",
                )
    ok(f"{declared} permission(s) declared by the content models exist")


def check_staff_groups(language: str, before: list[str]) -> None:
    """Groups that translate every existing language translate the new one, too; where each
    existing language has a group of its own, so does the new one."""
    source = source_language()

    def perm(code: str) -> str:
        return f"translate_{code.replace('-', '_')}"

    existing = [perm(code) for code in before if code != source]
    held_by = {
        group.name: set(
            group.permissions.filter(codename__startswith="translate_").values_list(
                "codename", flat=True
            )
        )
        for group in Group.objects.all()
    }
    if not Permission.objects.filter(codename__in=existing).exists():
        ok("no per-language translate permissions in this project: nothing more to check")
        return
    new = perm(language)
    check(Permission.objects.filter(codename=new).exists(), f"permission {new} is missing")
    # Groups that may translate into every existing language may translate into the new one.
    for name, held in held_by.items():
        if set(existing) <= held:
            check(new in held, f"group “{name}” translates {sorted(held)} but not {new}")
    # One group per language (translators): the new language has one too.
    single = {name: next(iter(held)) for name, held in held_by.items() if len(held) == 1}
    if set(existing) <= set(single.values()):
        check(
            new in single.values(),
            f"no group has {new} alone, as {', '.join(sorted(single))} have "
            f"{', '.join(sorted(existing))} (groups set up by a migration that already ran "
            "do not learn about a new language)",
        )
    with_new = sorted(name for name, held in held_by.items() if new in held)
    if with_new:
        ok(f"groups with {new}: {', '.join(with_new)}")


def check_admin(language: str) -> None:
    """A superuser's change form of every translated model has the new language's inputs."""
    say(f"Admin: every translated model's form has {language} inputs")
    user = get_user_model().objects.create_superuser("add-language-check", "ci@example.org", "x")
    browser = client()
    browser.force_login(user)
    # A superuser reaches the admin after the second factor too (clinic/twofactor/): an
    # authenticator, and the session marked as verified by it, as force_login skips the password.
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="CI", confirmed=True)
    session = browser.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    for model in translatable_models():
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            continue
        opts = model._meta
        for path in (
            reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
        ):
            response = browser.get(path)
            check(response.status_code == 200, f"GET {path}: {response.status_code}")
        html = response.content.decode()
        inputs = [localized(name, language) for name in translatable_fields(model)]
        missing = [name for name in inputs if f'name="{name}"' not in html]
        if check(not missing, f"{path}: no input for {', '.join(missing)}"):
            ok(f"{path}: {', '.join(inputs)}")
