"""The translation matrix: objects × target languages, one translation state per cell.

Editors see it in the admin (``TranslationStateAdmin.matrix_view``). The objects
of several models are read as one list, a page at a time: a page costs one
count per model, one ``LIMIT``/``OFFSET`` query per model the page spans and one
query for the translation states of the whole page, however many objects there
are. Filtering by state happens in SQL (:func:`state_label_expression` computes
what :attr:`~clinic.i18n.state.TranslationReport.label` says in Python), so it
does not load the objects that do not match.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.lookups import Exact

from clinic.i18n.fallback import has_text, published_translation
from clinic.i18n.languages import source_language, target_languages
from clinic.i18n.models import TranslationState
from clinic.i18n.registry import api_name, localized, translatable_fields, translatable_models
from clinic.i18n.state import (
    TranslationStateLabel,
    attach_states,
    content_type_q,
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


def state_label_expression(model: type[models.Model], language: str) -> Case:
    """SQL for ``translation_report(obj, language).label`` of each row of ``model``.

    A field is missing when its source text is set and its translation empty; it
    is current when it is translated from the source text it has now (a row with
    no recorded source makes the comparison NULL, which is not current).
    """
    source = source_language()
    states = TranslationState.objects.filter(
        content_type_q(model), object_id=OuterRef("pk"), language=language
    )
    any_missing = Q()
    all_current = Q()
    for name in translatable_fields(model):
        source_column = localized(name, source)
        has_source = has_text(source_column)
        translated = has_text(localized(name, language))
        recorded = Subquery(
            states.annotate(text=KeyTextTransform(name, "sources")).values("text")[:1]
        )
        any_missing |= has_source & ~translated
        all_current &= ~has_source | (translated & Q(Exact(recorded, F(source_column))))
    return Case(
        When(any_missing, then=Value(TranslationStateLabel.MISSING.value)),
        When(
            all_current & Q(published_translation(model, language)),
            then=Value(TranslationStateLabel.CURRENT.value),
        ),
        When(all_current, then=Value(TranslationStateLabel.DRAFT.value)),
        default=Value(TranslationStateLabel.STALE.value),
        output_field=models.CharField(),
    )


def _label_alias(language: str) -> str:
    return f"translation_state_{language.replace('-', '_')}"


def matrix_queryset(
    model: type[models.Model], *, state: str | None = None, languages: Sequence[str]
) -> models.QuerySet:
    """``model``'s objects in their usual order; with ``state``, those with a cell in it."""
    queryset = model._default_manager.all()
    if state is None:
        return queryset
    state = TranslationStateLabel(state)
    aliases = {
        _label_alias(language): state_label_expression(model, language) for language in languages
    }
    condition = Q()
    for alias in aliases:
        condition |= Q(**{alias: state.value})
    return queryset.alias(**aliases).filter(condition)


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
