"""Interface-string catalogs (``locale/<lang>/LC_MESSAGES/django.po``, and ``djangojs.po`` for
the admin's JavaScript: ``clinic.i18n.js_catalog``) and their ``.mo``."""

import gettext
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib
from django.conf import settings
from django.utils.translation import to_locale
from django.views.i18n import JSONCatalog

from clinic.i18n.languages import target_languages

DOMAINS = ("django", "djangojs")


def catalog_paths(language: str, domain: str = "django") -> tuple[Path, Path]:
    base = Path(settings.LOCALE_PATHS[0]) / to_locale(language) / "LC_MESSAGES"
    return base / f"{domain}.po", base / f"{domain}.mo"


def _translations(catalog: polib._BaseFile) -> dict[tuple[str | None, str], tuple[str, ...]]:
    """What a catalog translates, as gettext reads it: fuzzy and empty entries excluded."""
    result = {}
    for entry in catalog:
        if not entry.msgid or entry.obsolete or getattr(entry, "fuzzy", False):
            continue
        if entry.msgid_plural:
            forms = tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural))
        else:
            forms = (entry.msgstr,)
        if any(forms):
            result[(entry.msgctxt, entry.msgid)] = forms
    return result


def catalog_problems() -> list[str]:
    """Why the compiled catalogs do not match their sources (empty when they do)."""
    problems = []
    for language, domain in itertools.product(target_languages(), DOMAINS):
        po_path, mo_path = catalog_paths(language, domain)
        if not po_path.exists():
            problems.append(f"{po_path} is missing: run `make messages`.")
            continue
        if not mo_path.exists():
            problems.append(f"{mo_path} is missing: run `make messages`.")
            continue
        if _translations(polib.pofile(str(po_path))) != _translations(polib.mofile(str(mo_path))):
            problems.append(f"{mo_path} is out of date with {po_path.name}: run `make messages`.")
    return problems


# What `make messages` scans: the code, not the virtualenv, benchmarks or tests.
MAKEMESSAGES_IGNORE = [".venv", "bench", "tests"]
SOURCE_DIRS = ["clinic", "articles"]


def _message_ids(path: Path) -> set[tuple[str | None, str, str]]:
    return {
        (entry.msgctxt, entry.msgid, entry.msgid_plural or "")
        for entry in polib.pofile(str(path))
        if entry.msgid and not entry.obsolete
    }


def catalog_drift() -> list[str]:
    """Strings in the code missing from a catalog, or in a catalog but gone from the code.

    Runs ``makemessages`` in a temporary copy of the project and compares its
    catalogs with the committed ones, so nothing in the working tree changes.
    """
    base_dir = Path(settings.BASE_DIR)
    problems = []
    with tempfile.TemporaryDirectory() as temp:
        copy = Path(temp)
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
        for name in [*SOURCE_DIRS, "locale"]:
            shutil.copytree(base_dir / name, copy / name, ignore=ignore)
        shutil.copy2(base_dir / "manage.py", copy / "manage.py")
        command = [sys.executable, "manage.py", "makemessages", "--no-obsolete", "--no-location"]
        command += [f"--locale={to_locale(language)}" for language in target_languages()]
        command += [f"--ignore={pattern}" for pattern in MAKEMESSAGES_IGNORE]
        subprocess.run(
            command,
            cwd=copy,
            env={**os.environ, "DEBUG": "1"},
            check=True,
            capture_output=True,
        )
        for language in target_languages():
            committed, _mo = catalog_paths(language)
            fresh = copy / "locale" / to_locale(language) / "LC_MESSAGES" / "django.po"
            expected, found = _message_ids(fresh), _message_ids(committed)
            for context, msgid, _plural in sorted(expected - found, key=str):
                problems.append(f"{committed}: missing “{msgid}” ({context or 'no context'})")
            for context, msgid, _plural in sorted(found - expected, key=str):
                problems.append(
                    f"{committed}: “{msgid}” ({context or 'no context'}) is no longer in the code"
                )
    if problems:
        problems.append("Run `make messages`, translate the new entries and commit the catalogs.")
    return problems


class _ProjectCatalog(JSONCatalog):
    """Django's JSON catalog of the project's own ``locale/`` (not Django's or DRF's strings)."""

    def __init__(self, language: str) -> None:
        super().__init__()
        self.translation = gettext.translation(
            "django", settings.LOCALE_PATHS[0], languages=[language], fallback=True
        )
        if not hasattr(self.translation, "_catalog"):  # the source language has no catalog
            self.translation._catalog = {}
            self.translation._fallback = None

    def get_plural(self) -> str:
        return super().get_plural() or "(n != 1)"


def interface_catalog(language: str) -> dict:
    """``{"catalog", "formats", "plural"}`` for ``language``, as Django's JSONCatalog gives it."""
    return _ProjectCatalog(language).get_context_data()
