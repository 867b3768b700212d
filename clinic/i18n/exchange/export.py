"""Export: a PO file of one language's translations for translators (see ``po`` for the format)."""

from collections.abc import Callable, Iterable, Iterator

import polib
from django.db import models
from django.urls import NoReverseMatch, reverse

from clinic.i18n.exchange.po import CHUNK, models_by_label, po_entry, po_file
from clinic.i18n.languages import target_languages
from clinic.i18n.registry import (
    api_name,
    html_fields,
    localized,
    translatable_fields,
    translatable_models,
)
from clinic.i18n.state import attach_states, field_statuses, get_states

ONLY_CHOICES = ("all", "missing", "stale")
PK_MARK = "__pk__"


def select_models(names: Iterable[str] | None) -> list[type[models.Model]]:
    """Models named by API name (``articles``) or label (``articles.article``); all if none."""
    models_ = translatable_models()
    if not names:
        return models_
    known = {api_name(model): model for model in models_} | models_by_label()
    unknown = [name for name in names if name.lower() not in known]
    if unknown:
        raise ValueError(
            f"Unknown content type(s): {', '.join(unknown)}. "
            f"Choose from: {', '.join(api_name(model) for model in models_)}."
        )
    return [known[name.lower()] for name in dict.fromkeys(names)]


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
    po = po_file(language)
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
                    po.append(po_entry(obj, name, language, statuses[name], state, comment))
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
