"""The admin's JavaScript strings and the project's ``djangojs`` catalogs that complete them.

Every admin page loads ``admin/jsi18n/``: Django's ``JavaScriptCatalog`` for
``django.contrib.admin``, on top of which Django merges the ``djangojs`` catalogs of
``LOCALE_PATHS`` (``locale/<lang>/LC_MESSAGES/djangojs.po``; the project's wins). Django's
own Arabic and Ukrainian catalogs leave some of the admin's strings untranslated (the
filter widget, the calendar's day names), and the rich-text editor ships no Arabic or
Ukrainian at all, so the project's catalog of a language holds exactly:

- every string of the admin's JavaScript (read from the sources with ``xgettext``, as
  ``makemessages`` reads ours) that Django's catalog, the one the admin's view serves,
  does not translate in that language with every plural form;
- every string of the project's own JavaScript;
- corrections: an admin string Django translates, but not as it reads in the admin (the
  Ukrainian calendar's heading needs the month in the nominative, "Січень 2027", where
  Django gives the genitive, "січня"), kept because its translator comment starts with
  ``correction:`` and says why.

Nothing here is a hand-written list: a Django or editor upgrade that adds a string adds
it to the catalogs (``make messages``), and ``make check-messages`` fails until then.
"""

import gettext
import json
import subprocess
import tempfile
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

import polib
from django.conf import settings
from django.utils import timezone
from django.utils.translation import to_locale

from clinic.i18n.languages import target_languages

DOMAIN = "djangojs"


#: The translator comment that keeps an entry Django translates: the project's correction.
CORRECTION = "correction:"


class ExtractionError(Exception):
    """``xgettext`` could not read a script."""


# xgettext's JavaScript keywords as Django's makemessages passes them for djangojs.
XGETTEXT = [
    "xgettext",
    "--language=JavaScript",
    "--from-code=UTF-8",
    "--keyword=gettext_noop",
    "--keyword=gettext_lazy",
    "--keyword=ngettext_lazy:1,2",
    "--keyword=pgettext:1c,2",
    "--keyword=npgettext:1c,2,3",
    "--no-wrap",
    "--output=-",
]


@dataclass(frozen=True)
class JavaScriptPackage:
    """An installed package whose JavaScript runs in the admin and calls ``gettext``.

    ``sources`` are globs under the package's ``static/`` folder; a ``.js.map`` source map
    stands for the original sources it embeds (``sourcesContent``), for bundles that are
    minified (``gettext`` renamed) in the package.
    """

    module: str
    sources: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    #: Whether the admin's ``jsi18n`` view serves the package's own catalog (it serves
    #: ``django.contrib.admin``'s only: the others' strings are the project's to provide).
    served_by_admin: bool = False

    @property
    def path(self) -> Path:
        spec = find_spec(self.module)
        if spec is None or not spec.submodule_search_locations:
            raise LookupError(f"{self.module} is not installed")
        return Path(next(iter(spec.submodule_search_locations)))

    def files(self) -> dict[Path, str]:
        """The package's sources, each with its name under ``site-packages``."""
        static = self.path / "static"
        found = {path for pattern in self.sources for path in static.glob(pattern)}
        excluded = {path for pattern in self.exclude for path in static.glob(pattern)}
        root = self.path.parents[len(self.module.split(".")) - 1]
        return {path: str(path.relative_to(root)) for path in sorted(found - excluded)}

    def translation(self, language: str) -> gettext.NullTranslations:
        return gettext.translation(
            DOMAIN, self.path / "locale", languages=[to_locale(language)], fallback=True
        )


# What the admin's pages run: Django's admin scripts (not its vendored libraries, which
# bring their own translations: select2/i18n) and the rich-text editor's bundle.
ADMIN_JAVASCRIPT = (
    JavaScriptPackage(
        "django.contrib.admin",
        ("admin/js/**/*.js",),
        exclude=("admin/js/vendor/**",),
        served_by_admin=True,
    ),
    JavaScriptPackage("django_prose_editor", ("django_prose_editor/*.js.map",)),
)
# The project's own scripts (vendored libraries excluded).
PROJECT_SOURCE_DIRS = ["clinic", "articles"]


def _unbundle(map_path: Path, map_name: str, target: Path) -> dict[Path, str]:
    """The package's own sources embedded in a source map (its dependencies left out),
    written under ``target``, with the name each had in the package's repository."""
    source_map = json.loads(map_path.read_text(encoding="utf-8"))
    written = {}
    for index, (name, content) in enumerate(
        zip(source_map["sources"], source_map.get("sourcesContent") or [], strict=False)
    ):
        if not content or "node_modules" in name or "gettext" not in content:
            continue
        path = target / f"{map_path.stem}.{index}.{Path(name).name}"
        path.write_text(content, encoding="utf-8")
        written[path] = f"{map_name}:{name.removeprefix('../')}"
    return written


def extract(files: dict[Path, str]) -> list[polib.POEntry]:
    """The messages of JavaScript files as ``xgettext`` finds them (``makemessages``' way).

    ``files`` maps each file to the name its messages' locations give.
    """
    with tempfile.TemporaryDirectory() as temp:
        inputs: dict[Path, str] = {}
        for path, name in files.items():
            if path.name.endswith(".js.map"):
                inputs.update(_unbundle(path, name, Path(temp)))
            else:
                inputs[path] = name
        if not inputs:
            return []
        try:
            result = subprocess.run(
                [*XGETTEXT, *map(str, inputs)], check=True, capture_output=True, text=True
            )
        except subprocess.CalledProcessError as error:
            raise ExtractionError(f"xgettext failed: {error.stderr.strip()}") from error
    names = {str(path): name for path, name in inputs.items()}
    entries = []
    for entry in polib.pofile(result.stdout):
        if not entry.msgid:
            continue
        located = dict.fromkeys(names.get(path, path) for path, _line in entry.occurrences)
        entry.occurrences = [(name, "") for name in located]
        entries.append(entry)
    return entries


def admin_messages() -> dict[str, list[polib.POEntry]]:
    """Every message of the admin's JavaScript, by the package that ships it."""
    return {package.module: extract(package.files()) for package in ADMIN_JAVASCRIPT}


def project_messages() -> list[polib.POEntry]:
    base = Path(settings.BASE_DIR)
    files = {
        path: str(path.relative_to(base))
        for name in PROJECT_SOURCE_DIRS
        for path in sorted((base / name).glob("**/static/**/*.js"))
        if "vendor" not in path.parts and not path.name.endswith(".min.js")
    }
    return extract(files)


def nplurals(plural_forms: str) -> int:
    return int(plural_forms.split(";")[0].split("=")[1])


def plural_forms(language: str) -> str:
    """The ``Plural-Forms`` of Django's admin catalog for the language (the JS catalog uses
    the first it finds, so ours must agree), else the project's own ``django.po``'s."""
    for package in ADMIN_JAVASCRIPT:
        if package.served_by_admin:
            forms = getattr(package.translation(language), "_info", {}).get("plural-forms")
            if forms:
                return forms
    po = Path(settings.LOCALE_PATHS[0]) / to_locale(language) / "LC_MESSAGES" / "django.po"
    return polib.pofile(str(po)).metadata["Plural-Forms"]


def _key(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def translated_forms(
    translation: gettext.NullTranslations, entry: polib.POEntry, count: int
) -> list[str]:
    """The translation's forms for ``entry`` (empty strings where it has none)."""
    catalog = getattr(translation, "_catalog", {})
    if entry.msgid_plural:
        return [catalog.get((_key(entry), index), "") for index in range(count)]
    return [catalog.get(_key(entry), "")]


def expected_entries(language: str) -> list[polib.POEntry]:
    """What the project's ``djangojs`` catalog of ``language`` must hold, in source order.

    An admin message is the project's to translate unless the catalog the admin's view
    serves (Django's) gives it in full, every plural form. Where the package's own catalog
    translates it (the editor ships a few languages, which the admin's view does not
    load), that translation is the start.
    """
    count = nplurals(plural_forms(language))
    served = [
        package.translation(language) for package in ADMIN_JAVASCRIPT if package.served_by_admin
    ]
    entries: dict[tuple[str | None, str], polib.POEntry] = {}
    for package in ADMIN_JAVASCRIPT:
        own = package.translation(language)
        for message in extract(package.files()):
            if any(all(translated_forms(catalog, message, count)) for catalog in served):
                continue
            forms = translated_forms(own, message, count)
            if all(forms):
                _set_forms(message, forms)
            entries.setdefault((message.msgctxt, message.msgid), message)
    for message in project_messages():
        entries.setdefault((message.msgctxt, message.msgid), message)
    return list(entries.values())


def is_correction(entry: polib.POEntry) -> bool:
    return entry.tcomment.startswith(CORRECTION)


def _admin_keys() -> set[tuple[str | None, str]]:
    return {
        (message.msgctxt, message.msgid)
        for messages in admin_messages().values()
        for message in messages
    }


def _set_forms(entry: polib.POEntry, forms: list[str]) -> None:
    if entry.msgid_plural:
        entry.msgstr_plural = dict(enumerate(forms))
    else:
        entry.msgstr = forms[0]


def catalog_path(language: str) -> Path:
    return Path(settings.LOCALE_PATHS[0]) / to_locale(language) / "LC_MESSAGES" / f"{DOMAIN}.po"


def _new_catalog(language: str) -> polib.POFile:
    catalog = polib.POFile(wrapwidth=0)
    catalog.header = "JavaScript strings of the clinic content API's admin."
    catalog.metadata = {
        "Project-Id-Version": "clinic-content-api 0.1",
        "PO-Revision-Date": timezone.now().strftime("%Y-%m-%d %H:%M%z"),
        "Last-Translator": "",
        "Language-Team": "",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms(language),
    }
    return catalog


def update_catalog(language: str) -> tuple[Path, int, int]:
    """Write ``language``'s catalog: the expected entries, keeping every translation made.

    Returns the path, the number of entries and how many of them are untranslated.
    """
    path = catalog_path(language)
    catalog = polib.pofile(str(path), wrapwidth=0) if path.exists() else _new_catalog(language)
    catalog.metadata["Plural-Forms"] = plural_forms(language)
    count = nplurals(catalog.metadata["Plural-Forms"])
    existing = {(entry.msgctxt, entry.msgid): entry for entry in catalog}
    fresh = []
    for entry in expected_entries(language):
        kept = existing.get((entry.msgctxt, entry.msgid))
        if kept is not None and kept.msgid_plural == entry.msgid_plural:
            kept.occurrences = entry.occurrences
            kept.comment = entry.comment
            entry = kept
        if entry.msgid_plural:
            forms = entry.msgstr_plural or {}
            entry.msgstr_plural = {index: forms.get(index, "") for index in range(count)}
        fresh.append(entry)
    expected = {(entry.msgctxt, entry.msgid) for entry in fresh}
    admin_keys = _admin_keys()
    fresh += [
        entry
        for key, entry in existing.items()
        if key not in expected and key in admin_keys and is_correction(entry)
    ]
    catalog[:] = fresh
    path.parent.mkdir(parents=True, exist_ok=True)
    catalog.save(str(path))
    return path, len(fresh), len(catalog.untranslated_entries())


def catalog_drift() -> list[str]:
    """Admin or project JavaScript strings missing from a catalog, or kept though not needed."""
    problems = []
    for language in target_languages():
        path = catalog_path(language)
        if not path.exists():  # reported by catalogs.catalog_problems
            continue
        expected = {(entry.msgctxt, entry.msgid) for entry in expected_entries(language)}
        catalog = polib.pofile(str(path))
        found = {(entry.msgctxt, entry.msgid) for entry in catalog}
        expected |= {
            (entry.msgctxt, entry.msgid) for entry in catalog if is_correction(entry)
        } & _admin_keys()
        for context, msgid in sorted(expected - found, key=str):
            problems.append(f"{path}: missing “{msgid}” ({context or 'no context'})")
        for context, msgid in sorted(found - expected, key=str):
            problems.append(
                f"{path}: “{msgid}” ({context or 'no context'}) is no longer needed "
                "(the code dropped it or Django translates it now)"
            )
    if problems:
        problems.append("Run `make messages`, translate the new entries and commit the catalogs.")
    return problems
