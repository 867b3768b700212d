"""The PO format of content translations: entry keys, entries, header, reading.

One PO entry per translatable field of every translatable object. ``msgctxt``
names the object and field stably (``articles.article:12:title``), ``msgid``
is the current English source, ``msgstr`` the current translation; a stale
entry is ``#, fuzzy`` with the source it was translated from as ``#| msgid``.
The key is also written as an extracted comment (``#. Key: ...``): tools that
drop ``msgctxt`` (translate-toolkit's po2xliff/xliff2po) keep those comments,
so the import can still find the field. PO files are read and written with polib.
"""

import gettext
import re
from dataclasses import dataclass
from pathlib import Path

import django
import polib
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.i18n.languages import source_language
from clinic.i18n.models import TranslationState
from clinic.i18n.registry import translatable_fields, translatable_models
from clinic.i18n.state import FieldStatus, source_text, translated_text

PROJECT_ID = "clinic-content-api content"
# Objects per query when the export reads rows and the import locks or prefetches them.
CHUNK = 500
# Strings and comments are written on one line each (a text with newlines still
# breaks after each): wrapping them at 79 columns with textwrap took most of the
# time of an export, and gettext tools, Poedit and Weblate read lines of any length.
WRAP_WIDTH = 0

# A PO line that is not a comment or blank must be a keyword or continuation line
# with one correctly terminated and escaped string: polib alone accepts truncated
# strings, which would import a cut text.
PO_STRING = r'"(?:[^"\\]++|\\[\\"ntrabfv])*+"'
PO_LINE = re.compile(rf"^(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?{PO_STRING}\s*$")


# Entry keys


def entry_context(obj: models.Model, name: str) -> str:
    """``app.model:pk:field``: stable across exports, so an old file still finds its fields."""
    return f"{obj._meta.label_lower}:{obj.pk}:{name}"


KEY_COMMENT = "Key: "


def key_comment(context: str) -> str:
    """The extracted-comment line that carries an entry's key beside its ``msgctxt``."""
    return f"{KEY_COMMENT}{context}"


def key_from_comment(comment: str) -> str | None:
    """The key of a ``#. Key: ...`` line in an entry's extracted comments, if there is one."""
    for line in (comment or "").splitlines():
        if line.startswith(KEY_COMMENT):
            return line.removeprefix(KEY_COMMENT).strip() or None
    return None


def models_by_label() -> dict[str, type[models.Model]]:
    """Every translatable model by the label that starts its entries' contexts."""
    return {model._meta.label_lower: model for model in translatable_models()}


def parse_context(
    context: str, by_label: dict[str, type[models.Model]]
) -> tuple[type[models.Model], int, str] | None:
    """The model, primary key and field an entry's context names; None if it names none."""
    label, _sep, rest = (context or "").partition(":")
    pk, _sep, name = rest.partition(":")
    model = by_label.get(label)
    if model is None or not pk.isdigit() or name not in translatable_fields(model):
        return None
    return model, int(pk), name


# Writing


def plural_forms(language: str) -> str:
    """The gettext Plural-Forms of ``language``: the project's catalog first, then Django's."""
    locale_dirs = [
        Path(settings.LOCALE_PATHS[0]),
        Path(django.__file__).parent / "conf" / "locale",
    ]
    for directory in locale_dirs:
        try:
            catalog = gettext.translation("django", directory, languages=[language])
        except OSError:
            continue
        forms = catalog.info().get("plural-forms")
        if forms:
            return forms
    return "nplurals=2; plural=(n != 1);"


def po_file(language: str) -> polib.POFile:
    """An empty PO file of content translations into ``language``: header and metadata."""
    now = timezone.now().strftime("%Y-%m-%d %H:%M%z")
    po = polib.POFile(wrapwidth=WRAP_WIDTH)
    po.header = (
        f"Content translations of the clinic content API into {language}.\n"
        "Translate msgstr; keep numbers, phone numbers, URLs and study identifiers.\n"
        "Fuzzy entries (#, fuzzy) are stale: the English changed (old text in #| msgid)."
    )
    po.metadata = {
        "Project-Id-Version": PROJECT_ID,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": now,
        "PO-Revision-Date": now,
        "Last-Translator": "",
        "Language-Team": "",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms(language),
        "X-Source-Language": source_language(),
    }
    return po


def po_entry(
    obj: models.Model,
    name: str,
    language: str,
    status: FieldStatus,
    state: TranslationState | None,
    comment: str,
) -> polib.POEntry:
    """The entry of one field; a stale one is fuzzy, with the source it was translated from."""
    context = entry_context(obj, name)
    entry = polib.POEntry(
        msgctxt=context,
        msgid=source_text(obj, name),
        msgstr=translated_text(obj, name, language),
        comment="\n".join(filter(None, [comment, key_comment(context)])),
    )
    if status == FieldStatus.STALE:
        entry.flags.append("fuzzy")
        previous = state.sources.get(name) if state is not None else None
        if previous:
            entry.previous_msgid = previous
    return entry


# Reading


@dataclass(frozen=True)
class Problem:
    line: int | None
    context: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "file"
        return (
            f"{where}: {self.context}: {self.message}"
            if self.context
            else f"{where}: {self.message}"
        )


def read_po(raw: bytes, errors: list[Problem]) -> polib.POFile | None:
    """The PO file in ``raw``; None, with ``errors`` added, if it is not valid UTF-8 PO."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        errors.append(
            Problem(
                None,
                "",
                _("the file is not UTF-8 (byte %(byte)d); save it as UTF-8") % {"byte": exc.start},
            )
        )
        return None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#") and not PO_LINE.match(stripped):
            errors.append(
                Problem(number, "", _("PO syntax error: %(line)s") % {"line": stripped[:60]})
            )
    if errors:
        return None
    try:
        return polib.pofile(text, encoding="utf-8")
    except (OSError, ValueError) as exc:
        errors.append(Problem(None, "", _("PO syntax error: %(error)s") % {"error": exc}))
        return None
