"""The translation matrix: objects × target languages, one translation state per cell.

Editors see it in the admin (``TranslationStateAdmin.matrix_view``). The objects
of several models are read as one list, a page at a time: a page costs one
count per model, one ``LIMIT``/``OFFSET`` query per model the page spans and one
query for the translation states of the whole page, however many objects there
are. Filtering by state happens in SQL (:func:`state_condition` says what
:attr:`~clinic.i18n.state.TranslationReport.label` says in Python), so it
does not load the objects that do not match.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Q
from django.db.models.lookups import Exact

from clinic.i18n.fallback import published_translation
from clinic.i18n.languages import target_languages
from clinic.i18n.registry import api_name, translatable_models
from clinic.i18n.state import (
    FieldStatus,
    TranslationStateLabel,
    attach_states,
    overall_status_expression,
    translation_report,
)

PER_PAGE = 100


@dataclass(frozen=True)
class MatrixCell:
    """One object's translation into one language."""

    language: str
    label: TranslationStateLabel
    missing: tuple[str, ...]
    stale: tuple[str, ...]


@dataclass(frozen=True)
class MatrixRow:
    """One object with a cell per language shown."""

    obj: models.Model
    cells: tuple[MatrixCell, ...]

    @property
    def model(self) -> type[models.Model]:
        return type(self.obj)

    @property
    def api_name(self) -> str:
        return api_name(self.model)

    @property
    def verbose_name(self) -> str:
        return self.model._meta.verbose_name


def matrix_languages(language: str | None = None) -> list[str]:
    """The columns of the matrix: ``language`` alone, or every target language."""
    if language is None:
        return target_languages()
    if language not in target_languages():
        raise ValueError(f"{language!r} is not a target language")
    return [language]


def state_condition(model: type[models.Model], language: str, label: TranslationStateLabel) -> Q:
    """SQL: ``translation_report(obj, language).label == label``, for each row of ``model``.

    Missing and stale are the worst field's status
    (:func:`~clinic.i18n.state.overall_status_expression`); a translation
    whose fields are all current is current where it is published, a draft
    otherwise.
    """
    overall = overall_status_expression(model, language)
    if label in (TranslationStateLabel.MISSING, TranslationStateLabel.STALE):
        return Q(Exact(overall, FieldStatus(label.value).severity))
    complete = Q(Exact(overall, FieldStatus.CURRENT.severity))
    published = Q(published_translation(model, language))
    return complete & (published if label == TranslationStateLabel.CURRENT else ~published)


def matrix_queryset(
    model: type[models.Model], *, state: str | None = None, languages: Sequence[str]
) -> models.QuerySet:
    """``model``'s objects in their usual order; with ``state``, those with a cell in it."""
    queryset = model._default_manager.all()
    if state is None:
        return queryset
    label = TranslationStateLabel(state)
    condition = Q()
    for language in languages:
        condition |= state_condition(model, language, label)
    return queryset.filter(condition)


class ConcatenatedQuerySets:
    """Querysets of several models read as one list, as Django's Paginator reads it.

    Each queryset is counted once; a slice queries only the querysets it spans,
    each with ``LIMIT``/``OFFSET``.
    """

    def __init__(self, querysets: Sequence[models.QuerySet]) -> None:
        self.querysets = list(querysets)

    @cached_property
    def counts(self) -> list[int]:
        return [queryset.count() for queryset in self.querysets]

    def count(self) -> int:
        return sum(self.counts)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: slice) -> list[models.Model]:
        if not isinstance(key, slice) or key.step not in (None, 1):
            raise TypeError("ConcatenatedQuerySets only supports contiguous slices")
        start, stop, _step = key.indices(self.count())
        objects: list[models.Model] = []
        offset = 0
        for queryset, size in zip(self.querysets, self.counts, strict=True):
            low, high = max(start - offset, 0), min(stop - offset, size)
            if low < high:
                objects.extend(queryset[low:high])
            offset += size
        return objects


def matrix_rows(objects: Sequence[models.Model], languages: Sequence[str]) -> list[MatrixRow]:
    """A row per object, a cell per language; the states of all objects in one query."""
    attach_states(objects)
    rows = []
    for obj in objects:
        cells = []
        for language in languages:
            report = translation_report(obj, language)
            cells.append(
                MatrixCell(
                    language=language,
                    label=report.label,
                    missing=tuple(report.missing),
                    stale=tuple(report.stale),
                )
            )
        rows.append(MatrixRow(obj=obj, cells=tuple(cells)))
    return rows


def matrix_page(
    *,
    content_models: Sequence[type[models.Model]] | None = None,
    state: str | None = None,
    language: str | None = None,
    number: int | str | None = 1,
    per_page: int = PER_PAGE,
) -> Page:
    """One page of the matrix; ``page.object_list`` holds :class:`MatrixRow` objects.

    ``content_models`` are the models shown, in order (every translatable model by
    default); ``state`` keeps the objects with a cell in that state, in any
    language shown; ``language`` shows that language's cells only. An invalid or
    out-of-range ``number`` gives the first or last page.
    """
    languages = matrix_languages(language)
    if content_models is None:
        content_models = translatable_models()
    objects = ConcatenatedQuerySets(
        [matrix_queryset(model, state=state, languages=languages) for model in content_models]
    )
    page = Paginator(objects, per_page).get_page(number)
    page.object_list = matrix_rows(page.object_list, languages)
    return page
