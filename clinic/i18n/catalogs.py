"""Interface-string catalogs (``locale/<lang>/LC_MESSAGES/django.po``) and their ``.mo``."""

import gettext
from pathlib import Path

import polib
from django.conf import settings
from django.views.i18n import JSONCatalog

from clinic.i18n.languages import target_languages


def catalog_paths(language: str) -> tuple[Path, Path]:
    base = Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES"
    return base / "django.po", base / "django.mo"


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
    for language in target_languages():
        po_path, mo_path = catalog_paths(language)
        if not po_path.exists():
            problems.append(f"{po_path} is missing.")
            continue
        if not mo_path.exists():
            problems.append(f"{mo_path} is missing: run `make messages`.")
            continue
        if _translations(polib.pofile(str(po_path))) != _translations(polib.mofile(str(mo_path))):
            problems.append(f"{mo_path} is out of date with {po_path.name}: run `make messages`.")
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
