"""Content translations as PO files: export for translators, validated all-or-nothing import.

One PO entry per translatable field of every translatable object. ``msgctxt``
names the object and field stably (``articles.article:12:title``), ``msgid``
is the current English source, ``msgstr`` the current translation; a stale
entry is ``#, fuzzy`` with the source it was translated from as ``#| msgid``.
PO files are read and written with polib.
"""

import gettext
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import django
import polib
import reversion
from django.conf import settings
from django.db import models, transaction
from django.db.models import prefetch_related_objects
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.text import capfirst
from reversion.revisions import _get_options as reversion_options

from articles.search import search_documents_deferred
from clinic.html import sanitize_html
from clinic.i18n.invariants import compare
from clinic.i18n.languages import source_language, target_languages
from clinic.i18n.models import TranslationState
from clinic.i18n.registry import (
    api_name,
    html_fields,
    localized,
    translatable_fields,
    translatable_models,
    translated_fields,
)
from clinic.i18n.services import translation_record
from clinic.i18n.slugs import derive_slugs
from clinic.i18n.state import (
    FieldStatus,
    attach_states,
    field_statuses,
    get_states,
    is_blank,
    source_text,
    translated_text,
)
from clinic.revisions import content_revision

PROJECT_ID = "clinic-content-api content"
CHUNK = 500
ONLY_CHOICES = ("all", "missing", "stale")
PK_MARK = "__pk__"
TITLE_LENGTH = 60
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
    return f"{obj._meta.label_lower}:{obj.pk}:{name}"


def _models_by_label() -> dict[str, type[models.Model]]:
    return {model._meta.label_lower: model for model in translatable_models()}


def select_models(names: Iterable[str] | None) -> list[type[models.Model]]:
    """Models named by API name (``articles``) or label (``articles.article``); all if none."""
    models_ = translatable_models()
    if not names:
        return models_
    known = {api_name(model): model for model in models_} | _models_by_label()
    unknown = [name for name in names if name.lower() not in known]
    if unknown:
        raise ValueError(
            f"Unknown content type(s): {', '.join(unknown)}. "
            f"Choose from: {', '.join(api_name(model) for model in models_)}."
        )
    return [known[name.lower()] for name in dict.fromkeys(names)]


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


def _in_chunks(queryset: models.QuerySet) -> Iterator[list[models.Model]]:
    chunk: list[models.Model] = []
    for obj in queryset.iterator(chunk_size=CHUNK):
        chunk.append(obj)
        if len(chunk) == CHUNK:
            attach_states(chunk)
            yield chunk
            chunk = []
    if chunk:
        attach_states(chunk)
        yield chunk


# Export


def translations_export(
    *, language: str, only: str = "all", model_names: Iterable[str] | None = None
) -> polib.POFile:
    """A PO file of every translatable field in ``language`` (``only``: missing or stale)."""
    if language not in target_languages():
        raise ValueError(
            f"“{language}” is not a target language. Choose from: {', '.join(target_languages())}."
        )
    if only not in ONLY_CHOICES:
        raise ValueError(f"--only must be one of {', '.join(ONLY_CHOICES)}.")
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
    for model in select_models(model_names):
        fields = translatable_fields(model)
        notes = _field_notes(model)
        object_notes = _object_notes(model)
        # The columns of the other languages are the biggest part of each row; never read here.
        others = [
            localized(name, other)
            for name in fields
            for other in target_languages()
            if other != language
        ]
        for chunk in _in_chunks(model._default_manager.order_by("pk").defer(*others)):
            for obj in chunk:
                statuses = field_statuses(obj, language)
                names = [
                    name
                    for name in fields
                    if name in statuses and (only == "all" or statuses[name] == only)
                ]
                if not names:
                    continue
                about, admin = object_notes(obj)
                state = get_states(obj).get(language)
                for name in names:
                    field_note, html_note = notes[name]
                    comment = "\n".join(filter(None, [about, field_note, admin, html_note]))
                    po.append(_entry(obj, name, language, statuses[name], state, comment))
    return po


def _field_notes(model: type[models.Model]) -> dict[str, tuple[str, str]]:
    """Each field's comment lines (its label; the HTML note or ""), worked out once per model."""
    html = html_fields(model)
    return {
        name: (
            f"Field: {model._meta.get_field(name).verbose_name} ({name})",
            "HTML: keep the markup; it is sanitised on import." if name in html else "",
        )
        for name in translatable_fields(model)
    }


def _object_notes(model: type[models.Model]) -> Callable[[models.Model], tuple[str, str]]:
    """The comment lines naming an object of ``model`` and its admin page (or "").

    The model's name is translated and its admin URL reversed once per model: a
    primary key is digits, which the reversed URL holds as they are.
    """
    label = str(model._meta.verbose_name)
    try:
        admin_path = reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[PK_MARK]
        )
    except NoReverseMatch:
        admin_path = ""

    def notes(obj: models.Model) -> tuple[str, str]:
        admin = f"Admin: {admin_path.replace(PK_MARK, str(obj.pk))}" if admin_path else ""
        return f"{label}: {obj}", admin

    return notes


def _entry(
    obj, name: str, language: str, status: FieldStatus, state, comment: str
) -> polib.POEntry:
    entry = polib.POEntry(
        msgctxt=entry_context(obj, name),
        msgid=source_text(obj, name),
        msgstr=translated_text(obj, name, language),
        comment=comment,
    )
    if status == FieldStatus.STALE:
        entry.flags.append("fuzzy")
        previous = state.sources.get(name) if state is not None else None
        if previous:
            entry.previous_msgid = previous
    return entry


# Import


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


class ChangeKind(StrEnum):
    """What an imported entry does to the stored translation of its field."""

    NEW = "new"  # the field had no translation
    UPDATED = "updated"  # a current translation replaced by another text
    MADE_CURRENT = "was stale, now current"  # the source had changed since it was translated


CHANGE_KINDS = {
    FieldStatus.MISSING: ChangeKind.NEW,
    FieldStatus.CURRENT: ChangeKind.UPDATED,
    FieldStatus.STALE: ChangeKind.MADE_CURRENT,
}


@dataclass(frozen=True)
class EntryChange:
    """One entry that changes stored content, named so a translator finds it without the IDs."""

    context: str
    model_verbose_name: str
    object_title: str  # the object in the source language, cut to TITLE_LENGTH
    field_verbose_name: str
    column: str
    kind: ChangeKind

    def __str__(self) -> str:
        return (
            f"{self.context}  {capfirst(self.model_verbose_name)} “{self.object_title}” — "
            f"{self.field_verbose_name} [{self.column}] ({self.kind})"
        )


def _shortened(text: str) -> str:
    """``text`` on one line, cut to TITLE_LENGTH at a word boundary when one is near enough."""
    text = " ".join(text.split())
    if len(text) <= TITLE_LENGTH:
        return text
    cut = text[: TITLE_LENGTH - 1]
    head = cut.rsplit(" ", 1)[0]
    return (head if len(head) > TITLE_LENGTH // 2 else cut).rstrip(" ,.;:") + "…"


def _entry_change(
    context: str, obj: models.Model, name: str, language: str, status: FieldStatus
) -> EntryChange:
    with translation.override(source_language()):
        title = str(obj)
    return EntryChange(
        context=context,
        model_verbose_name=str(obj._meta.verbose_name),
        object_title=_shortened(title),
        field_verbose_name=str(obj._meta.get_field(name).verbose_name),
        column=localized(name, language),
        kind=CHANGE_KINDS[status],
    )


@dataclass
class ImportReport:
    file: str
    language: str = ""
    dry_run: bool = False
    # What was written (in a dry run: would be), in file order; unchanged entries are not here.
    updated: list[EntryChange] = field(default_factory=list)
    unchanged: int = 0
    fuzzy_skipped: int = 0
    empty_skipped: int = 0
    conflicts: list[Problem] = field(default_factory=list)
    sanitised: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{len(self.updated)} updated, {self.unchanged} unchanged, "
            f"{self.fuzzy_skipped} fuzzy skipped, {self.empty_skipped} empty skipped, "
            f"{len(self.conflicts)} conflicts, {len(self.sanitised)} sanitised, "
            f"{len(self.errors)} errors"
        )


class ImportFailed(Exception):
    """The file has errors; nothing was changed, so the report lists no entry as updated."""

    def __init__(self, report: ImportReport) -> None:
        report.updated.clear()
        super().__init__(report.summary())
        self.report = report


def _read(path: Path, report: ImportReport) -> polib.POFile | None:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        report.errors.append(Problem(None, "", f"cannot read the file: {exc.strerror}"))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        report.errors.append(
            Problem(None, "", f"the file is not UTF-8 (byte {exc.start}); save it as UTF-8")
        )
        return None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#") and not PO_LINE.match(stripped):
            report.errors.append(Problem(number, "", f"PO syntax error: {stripped[:60]}"))
    if report.errors:
        return None
    try:
        return polib.pofile(text, encoding="utf-8")
    except (OSError, ValueError) as exc:
        report.errors.append(Problem(None, "", f"PO syntax error: {exc}"))
        return None


def _check_language(po: polib.POFile, expected: str | None, report: ImportReport) -> str | None:
    language = (po.metadata.get("Language") or "").strip().replace("_", "-").lower()
    if not language:
        report.errors.append(Problem(None, "", "the PO header has no Language"))
    elif language not in target_languages():
        report.errors.append(
            Problem(
                None,
                "",
                f"language “{language}” is not a target language ({', '.join(target_languages())})",
            )
        )
    elif expected and language != expected:
        report.errors.append(
            Problem(None, "", f"the file is in “{language}”, not “{expected}” as asked")
        )
    else:
        return language
    return None


def _parse_context(
    context: str, models_by_label: dict[str, type[models.Model]]
) -> tuple[type[models.Model], int, str] | None:
    label, _sep, rest = (context or "").partition(":")
    pk, _sep, name = rest.partition(":")
    model = models_by_label.get(label)
    if model is None or not pk.isdigit() or name not in translatable_fields(model):
        return None
    return model, int(pk), name


def _load_objects(
    targets: list[tuple[type[models.Model], int, str] | None],
) -> dict[tuple[type, int], models.Model]:
    wanted: dict[type, set[int]] = {}
    for parsed in targets:
        if parsed:
            wanted.setdefault(parsed[0], set()).add(parsed[1])
    objects: dict[tuple[type, int], models.Model] = {}
    for model, pks in wanted.items():
        found = list(model._default_manager.filter(pk__in=pks))
        attach_states(found)
        objects.update({(model, obj.pk): obj for obj in found})
    return objects


def translations_import(
    *, path: Path, dry_run: bool = False, language: str | None = None, by=None
) -> ImportReport:
    """Check the whole file, then apply every accepted entry in one transaction.

    Raises :class:`ImportFailed` (nothing changed) when the file has errors:
    bad syntax or encoding, wrong language, unknown or duplicate entries, or a
    translation to be written that is longer than its field allows or whose
    numbers, phone numbers, URLs, e-mail addresses or study identifiers differ
    from its source (an entry equal to the current translation, which is
    current, is unchanged and not checked again).
    Entries whose ``msgid`` no longer equals the current source are conflicts:
    reported, not applied. Fuzzy and empty entries are skipped. HTML is
    sanitised, and reported when that removed something.
    """
    report = ImportReport(file=path.name, dry_run=dry_run)
    po = _read(path, report)
    if po is None:
        raise ImportFailed(report)
    lang = _check_language(po, language, report)
    if lang is None:
        raise ImportFailed(report)
    report.language = lang
    entries = [entry for entry in po if not entry.obsolete and entry.msgid]
    models_by_label = _models_by_label()
    targets = [_parse_context(entry.msgctxt, models_by_label) for entry in entries]
    objects = _load_objects(targets)
    changes: dict[models.Model, dict[str, str]] = {}
    statuses: dict[models.Model, dict[str, FieldStatus]] = {}
    seen: set[str] = set()
    for entry, parsed in zip(entries, targets, strict=True):
        obj = _identified(entry, parsed, objects, seen, report)
        if obj is None or _skipped(entry, obj, parsed[2], report):
            continue
        name = parsed[2]
        text = _sanitised(entry, obj, name, report)
        if obj not in statuses:
            statuses[obj] = field_statuses(obj, lang)
        # Its msgid is the stored source and not empty, so the field has a status.
        status = statuses[obj][name]
        if status == FieldStatus.CURRENT and text == translated_text(obj, name, lang):
            report.unchanged += 1
        elif not _refused(entry, obj, name, text, lang, report):
            changes.setdefault(obj, {})[name] = text
            report.updated.append(_entry_change(entry.msgctxt, obj, name, lang, status))
    if report.errors:
        raise ImportFailed(report)
    if not dry_run:
        _apply(changes, lang, path.name, by, report)
    return report


def _identified(
    entry: polib.POEntry,
    parsed: tuple[type[models.Model], int, str] | None,
    objects: dict[tuple[type, int], models.Model],
    seen: set[str],
    report: ImportReport,
) -> models.Model | None:
    """The object whose field ``entry`` translates; None (an error): unknown, repeated, plural."""
    context = entry.msgctxt or ""
    obj = objects.get((parsed[0], parsed[1])) if parsed else None
    if obj is None:
        report.errors.append(Problem(entry.linenum, context or entry.msgid[:40], "unknown entry"))
        return None
    if context in seen:
        report.errors.append(Problem(entry.linenum, context, "duplicate entry"))
        return None
    seen.add(context)
    if entry.msgid_plural:
        report.errors.append(Problem(entry.linenum, context, "plural entries are not used"))
        return None
    return obj


def _skipped(entry: polib.POEntry, obj: models.Model, name: str, report: ImportReport) -> bool:
    """Whether ``entry`` is left out, counted in ``report``: fuzzy, empty, or a conflict."""
    if entry.fuzzy:
        report.fuzzy_skipped += 1
    elif is_blank(entry.msgstr):
        report.empty_skipped += 1
    elif entry.msgid != source_text(obj, name):
        report.conflicts.append(
            Problem(entry.linenum, entry.msgctxt, "the English source changed since this export")
        )
    else:
        return False
    return True


def _sanitised(entry: polib.POEntry, obj: models.Model, name: str, report: ImportReport) -> str:
    """The translation of ``entry``, HTML sanitised (reported when that removed something)."""
    if name not in html_fields(type(obj)):
        return entry.msgstr
    cleaned = sanitize_html(entry.msgstr)
    if cleaned != entry.msgstr:
        report.sanitised.append(
            Problem(entry.linenum, entry.msgctxt, "unsafe HTML was removed from the translation")
        )
    return cleaned


def _refused(
    entry: polib.POEntry,
    obj: models.Model,
    name: str,
    text: str,
    language: str,
    report: ImportReport,
) -> bool:
    """Whether ``text``, to be written, is an error: too long, or its invariants differ."""
    limit = type(obj)._meta.get_field(name).max_length
    if limit is not None and len(text) > limit:
        message = f"too long: {len(text)} characters, at most {limit}"
    else:
        # Only what will be written is checked: tokenising every entry took most of the time.
        mismatches = compare(entry.msgid, text, language)
        if not mismatches:
            return False
        message = "; ".join(str(mismatch) for mismatch in mismatches)
    report.errors.append(Problem(entry.linenum, entry.msgctxt, message))
    return True


def _stored_columns(model: type[models.Model]) -> list[str]:
    """The columns that hold an object's own data, each language's column by its own name.

    (modeltranslation reads the untranslated names in the active language.)
    """
    untranslated = set(translated_fields(model))
    return [
        field.attname for field in model._meta.concrete_fields if field.name not in untranslated
    ]


def _refuse_changed_meanwhile(objects: list[models.Model], report: ImportReport) -> None:
    """Lock the rows to be written; refuse the import if one changed since it was checked.

    An edit saved in the admin while the file was being checked would
    otherwise be overwritten by the import's save of the object it loaded.
    """
    by_model: dict[type[models.Model], dict[int, models.Model]] = {}
    for obj in objects:
        by_model.setdefault(type(obj), {})[obj.pk] = obj
    for model, by_pk in by_model.items():
        columns = _stored_columns(model)
        key = columns.index(model._meta.pk.attname)
        for start in range(0, len(by_pk), CHUNK):
            pks = list(by_pk)[start : start + CHUNK]
            rows = model._base_manager.select_for_update().filter(pk__in=pks).values_list(*columns)
            stored = {row[key]: row for row in rows}
            for pk in pks:
                obj = by_pk[pk]
                if stored.get(pk) != tuple(getattr(obj, column) for column in columns):
                    report.errors.append(
                        Problem(
                            None,
                            f"{model._meta.label_lower}:{pk}",
                            "changed or deleted by someone else during the import; "
                            "export again or import the file again",
                        )
                    )
    if report.errors:
        raise ImportFailed(report)


@transaction.atomic
def _apply(
    changes: dict[models.Model, dict[str, str]],
    language: str,
    file_name: str,
    by,
    report: ImportReport,
) -> None:
    _refuse_changed_meanwhile(list(changes), report)
    with (
        search_documents_deferred(),
        content_revision(f"Translations imported from {file_name} [{language}]", by),
    ):
        _save_translations(changes, language, file_name, by)


def _save_translations(changes, language: str, file_name: str, by) -> None:
    objects = list(changes)
    for start in range(0, len(objects), CHUNK):
        _prefetch_revision_relations(objects[start : start + CHUNK])
    for obj, texts in changes.items():
        for name, text in texts.items():
            setattr(obj, localized(name, language), text)
        derive_slugs(obj)
        obj.save()
        translation_record(
            obj=obj,
            language=language,
            fields=list(texts),
            origin=TranslationState.Origin.IMPORT,
            origin_detail=file_name,
            by=by,
        )


def _prefetch_revision_relations(objects: list[models.Model]) -> None:
    """Load what the revision of each saved object reads, in one query per relation.

    A revision stores an object with its many-to-many fields and the objects it
    follows (clinic.revisions: an article's references and translation states),
    otherwise queried again for every object saved.
    """
    by_model: dict[type[models.Model], list[models.Model]] = defaultdict(list)
    for obj in objects:
        by_model[type(obj)].append(obj)
    for model, group in by_model.items():
        lookups = [field.name for field in model._meta.many_to_many]
        if reversion.is_registered(model):
            lookups += reversion_options(model).follow
        prefetch_related_objects(group, *dict.fromkeys(lookups))
