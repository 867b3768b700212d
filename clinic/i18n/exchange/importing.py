"""Import: a translated PO or XLIFF file, checked whole, then applied all-or-nothing."""

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import polib
from django.db import models, transaction
from django.db.models import prefetch_related_objects
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from clinic.content import bulk_write, content_of
from clinic.html import sanitize_html
from clinic.i18n.exchange.formats import read_translations
from clinic.i18n.exchange.po import CHUNK, Problem, key_from_comment, models_by_label, parse_context
from clinic.i18n.invariants import compare
from clinic.i18n.languages import source_language, target_languages
from clinic.i18n.models import TranslationState
from clinic.i18n.registry import html_fields, localized, translated_fields
from clinic.i18n.services import content_save
from clinic.i18n.state import (
    FieldStatus,
    attach_states,
    field_statuses,
    is_blank,
    source_text,
    translated_text,
)
from clinic.revisions import content_revision

TITLE_LENGTH = 60


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
    # For a preview: the stored translation and the one to be written (not part of equality).
    old: str = field(default="", compare=False)
    new: str = field(default="", compare=False)

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
    context: str, obj: models.Model, name: str, language: str, status: FieldStatus, new: str
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
        old=translated_text(obj, name, language),
        new=new,
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


def _check_language(po: polib.POFile, expected: str | None, report: ImportReport) -> str | None:
    language = (po.metadata.get("Language") or "").strip().replace("_", "-").lower()
    if not language:
        report.errors.append(Problem(None, "", _("the PO header has no Language")))
    elif language not in target_languages():
        report.errors.append(
            Problem(
                None,
                "",
                _("language “%(language)s” is not a target language (%(languages)s)")
                % {"language": language, "languages": ", ".join(target_languages())},
            )
        )
    elif expected and language != expected:
        report.errors.append(
            Problem(
                None,
                "",
                _("the file is in “%(language)s”, not “%(expected)s” as asked")
                % {"language": language, "expected": expected},
            )
        )
    else:
        return language
    return None


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
    *,
    path: Path,
    dry_run: bool = False,
    language: str | None = None,
    by=None,
    file_format: str | None = None,
) -> ImportReport:
    """Import the file at ``path`` (see :func:`translations_import_data`)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        report = ImportReport(file=path.name, dry_run=dry_run)
        message = _("cannot read the file: %(error)s") % {"error": exc.strerror}
        report.errors.append(Problem(None, "", message))
        raise ImportFailed(report) from exc
    return translations_import_data(
        data=data,
        file_name=path.name,
        dry_run=dry_run,
        language=language,
        by=by,
        file_format=file_format,
    )


def translations_import_data(
    *,
    data: bytes,
    file_name: str,
    dry_run: bool = False,
    language: str | None = None,
    by=None,
    file_format: str | None = None,
    allowed_models: Collection[type[models.Model]] | None = None,
) -> ImportReport:
    """Check the whole file, then apply every accepted entry in one transaction.

    ``data`` is a PO or XLIFF file (``file_format``, detected from the content
    when not given); ``file_name`` is recorded as the origin of what it writes.
    Raises :class:`ImportFailed` (nothing changed) when the file has errors:
    bad syntax or encoding, wrong language, unknown or duplicate entries, an
    entry of a content type not in ``allowed_models`` (when given), or a
    translation to be written that holds a NUL character, is longer than its field allows or whose
    numbers, phone numbers, URLs, e-mail addresses or study identifiers differ
    from its source (an entry equal to the current translation, which is
    current, is unchanged and not checked again).
    Entries whose ``msgid`` no longer equals the current source are conflicts:
    reported, not applied. Fuzzy and empty entries are skipped. HTML is
    sanitised, and reported when that removed something.
    """
    report = ImportReport(file=file_name, dry_run=dry_run)
    po = read_translations(data, file_format, report.errors)
    if po is None:
        raise ImportFailed(report)
    lang = _check_language(po, language, report)
    if lang is None:
        raise ImportFailed(report)
    report.language = lang
    entries = [entry for entry in po if not entry.obsolete and entry.msgid]
    for entry in entries:
        # A round trip through po2xliff/xliff2po drops msgctxt and keeps the "#. Key:" comment.
        entry.msgctxt = entry.msgctxt or key_from_comment(entry.comment)
    by_label = models_by_label()
    targets = [parse_context(entry.msgctxt, by_label) for entry in entries]
    objects = _load_objects(targets)
    changes: dict[models.Model, dict[str, str]] = {}
    statuses: dict[models.Model, dict[str, FieldStatus]] = {}
    seen: set[str] = set()
    for entry, parsed in zip(entries, targets, strict=True):
        obj = _identified(entry, parsed, objects, seen, allowed_models, report)
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
            report.updated.append(_entry_change(entry.msgctxt, obj, name, lang, status, text))
    if report.errors:
        raise ImportFailed(report)
    if not dry_run:
        _apply(changes, lang, file_name, by, report)
    return report


def _identified(
    entry: polib.POEntry,
    parsed: tuple[type[models.Model], int, str] | None,
    objects: dict[tuple[type, int], models.Model],
    seen: set[str],
    allowed_models: Collection[type[models.Model]] | None,
    report: ImportReport,
) -> models.Model | None:
    """The object whose field ``entry`` translates; None (an error): unknown, repeated, plural.

    Also None for an entry of a content type outside ``allowed_models`` (when given).
    """
    context = entry.msgctxt or ""
    if not context:
        report.errors.append(
            Problem(
                entry.linenum,
                entry.msgid[:40],
                _(
                    "unknown entry: it has no msgctxt and no “#. Key:” comment, so nothing says "
                    "which field it translates (po2xliff/xliff2po drop msgctxt; files exported "
                    "now carry the key as a comment too: export again and translate that file)"
                ),
            )
        )
        return None
    obj = objects.get((parsed[0], parsed[1])) if parsed else None
    if obj is None:
        report.errors.append(
            Problem(
                entry.linenum,
                context,
                _("unknown entry: no translatable field of an existing object has this key"),
            )
        )
        return None
    if allowed_models is not None and type(obj) not in allowed_models:
        report.errors.append(
            Problem(
                entry.linenum,
                context,
                _("you may not change %(content)s") % {"content": obj._meta.verbose_name_plural},
            )
        )
        return None
    if context in seen:
        report.errors.append(Problem(entry.linenum, context, _("duplicate entry")))
        return None
    seen.add(context)
    if entry.msgid_plural:
        report.errors.append(Problem(entry.linenum, context, _("plural entries are not used")))
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
            Problem(entry.linenum, entry.msgctxt, _("the English source changed since this export"))
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
            Problem(entry.linenum, entry.msgctxt, _("unsafe HTML was removed from the translation"))
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
    """Whether ``text``, to be written, is an error: a NUL, too long, or its invariants differ."""
    limit = type(obj)._meta.get_field(name).max_length
    if "\x00" in text:  # no database text column can hold it (the admin's forms refuse it too)
        message = _("contains a NUL character (U+0000), which cannot be stored")
    elif limit is not None and len(text) > limit:
        message = _("too long: %(length)d characters, at most %(limit)d") % {
            "length": len(text),
            "limit": limit,
        }
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
                            _(
                                "changed or deleted by someone else during the import; "
                                "export again or import the file again"
                            ),
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
    with bulk_write(), content_revision(f"Translations imported from {file_name} [{language}]", by):
        _save_translations(changes, language, file_name, by)


def _save_translations(changes, language: str, file_name: str, by) -> None:
    objects = list(changes)
    for start in range(0, len(objects), CHUNK):
        _prefetch_revision_relations(objects[start : start + CHUNK])
    for obj, texts in changes.items():
        for name, text in texts.items():
            setattr(obj, localized(name, language), text)
        content_save(
            obj=obj,
            changed_fields=[localized(name, language) for name in texts],
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
        content = content_of(model)
        if content is not None:
            lookups += content.follow
        prefetch_related_objects(group, *dict.fromkeys(lookups))
