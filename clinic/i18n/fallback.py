"""Field-level fallback to the source language, in Python and in SQL.

A target language's text is served only where its translation is published and
the field is not empty; every other field falls back to the source language,
never to an empty string. :func:`localize` does it for a loaded object and says
which fields fell back and which are stale; :func:`localized_expression` does
the same in SQL, so filtering, ordering, slug lookup and search in a language
see exactly the text the API would serve (django-modeltranslation's own
fallback only exists in Python).
"""

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, When

from clinic.i18n.languages import direction, language_codes, source_language, target_languages
from clinic.i18n.models import TranslationState
from clinic.i18n.registry import localized, translatable_fields, translated_fields
from clinic.i18n.state import (
    TRANSLATION_STATES,
    FieldStatus,
    content_type_q,
    field_status,
    get_states,
    has_text,
    is_blank,
    is_translation_published,
)
from clinic.memo import Memo


@dataclass(frozen=True)
class Localized:
    """An object's text in one language, with what fell back and what is stale."""

    language: str
    values: dict[str, str]
    fallback_fields: list[str]
    stale_fields: list[str]

    @property
    def dir(self) -> str:
        return direction(self.language)


LOCALIZED: Memo[dict[tuple[str, bool], Localized]] = Memo(
    "localized",
    holds="(language, preview) → the object's text as served (Localized)",
    filled_by="localize",
    invalidated_by="a write of its translation states (derived from them); "
    "the text of an object is not changed after it was served",
    derived_from=(TRANSLATION_STATES,),
)


def localize(obj: models.Model, language: str, *, preview: bool = False) -> Localized:
    """Every translated field of ``obj`` as served in ``language`` (memoised on ``obj``).

    ``preview`` serves draft translations too (for editors' signed preview links).
    """
    served = LOCALIZED.get_or_set(obj, dict)
    try:
        return served[(language, preview)]
    except KeyError:
        text = served[(language, preview)] = _localize(obj, language, preview)
        return text


@functools.cache
def _columns(model: type[models.Model], language: str) -> tuple[tuple[str, str, str, bool], ...]:
    """(field, source column, ``language`` column, counted?) of each translated field."""
    source = source_language()
    counted = set(translatable_fields(model))
    return tuple(
        (name, localized(name, source), localized(name, language), name in counted)
        for name in translated_fields(model)
    )


def _localize(obj: models.Model, language: str, preview: bool) -> Localized:
    """One pass over the fields; missing and stale are :func:`~clinic.i18n.state.field_status`.

    An unpublished translation is served as if it were missing: every field
    with a source text falls back.
    """
    source = source_language()
    if language == source:
        values = {
            name: _text(getattr(obj, source_column))
            for name, source_column, _column, _counted in _columns(type(obj), language)
        }
        return Localized(language=source, values=values, fallback_fields=[], stale_fields=[])
    published = preview or is_translation_published(obj, language)
    state = get_states(obj).get(language) if published else None
    recorded = state.sources if state is not None else {}
    values: dict[str, str] = {}
    fallback: list[str] = []
    stale: list[str] = []
    with_source = 0
    for name, source_column, column, counted in _columns(type(obj), language):
        original = getattr(obj, source_column)
        text = getattr(obj, column) if published else None
        status = field_status(original, text, recorded.get(name)) if counted else None
        if status is not None:
            with_source += 1
        if is_blank(text):
            values[name] = _text(original)
            if status is not None:  # missing
                fallback.append(name)
        else:
            values[name] = text
            if status is FieldStatus.STALE:
                stale.append(name)
    # The text is in ``language`` unless every field with a source fell back.
    return Localized(
        language=language if len(fallback) < with_source else source,
        values=values,
        fallback_fields=fallback,
        stale_fields=stale,
    )


def _text(value: str | None) -> str:
    return "" if value is None else value


def published_translation(model: type[models.Model], language: str) -> Exists:
    """SQL: the row's translation into ``language`` is published."""
    return Exists(
        TranslationState.objects.filter(
            content_type_q(model),
            object_id=OuterRef("pk"),
            language=language,
            status=TranslationState.Status.PUBLISHED,
        )
    )


def localized_expression(
    model: type[models.Model], name: str, language: str, *, published: str | None = None
) -> models.Expression:
    """SQL for ``name`` as served in ``language``: the translation or the source text.

    ``published`` names an annotation holding :func:`published_translation`, so
    several fields share one subquery.
    """
    source_column = F(localized(name, source_language()))
    if language == source_language():
        return source_column
    column = localized(name, language)
    is_published = (
        Q(**{published: True}) if published else Q(published_translation(model, language))
    )
    return Case(
        When(is_published & has_text(column), then=F(column)),
        default=source_column,
        output_field=models.TextField(),
    )


def slug_candidates(model: type[models.Model], slug: str, field: str = "slug") -> Q:
    """SQL: ``slug`` is the row's slug in some language, published or not.

    As a subquery on the unique slug index of each language, which the database
    answers by index whatever else the query filters on; callers check
    publishing on those few rows only.
    """
    any_language = Q()
    for language in language_codes():
        any_language |= Q(**{localized(field, language): slug})
    return Q(pk__in=model._base_manager.filter(any_language).values("pk"))


def slug_owner(matches: Iterable[tuple[int, str]], language: str) -> int | None:
    """Of (object id, language) pairs whose visible slug is the one asked for, the owner.

    A slug may be one object's English slug and another's translated one: the
    request ``language`` wins, then the source, then the other languages in
    order, then the lowest id (the same rule as :func:`slug_lookup` in SQL).
    """
    preference = [language, *language_codes()]
    ranked = [(preference.index(code), pk) for pk, code in matches if code in preference]
    return min(ranked)[1] if ranked else None


def slug_lookup(model: type[models.Model], slug: str, field: str = "slug") -> Q:
    """SQL: ``slug`` is the row's slug in the source or in a published translation.

    The candidates are found first by :func:`slug_candidates`; publishing is
    then checked on those few rows only.
    """
    published = Q(**{localized(field, source_language()): slug})
    for language in target_languages():
        published |= Q(**{localized(field, language): slug}) & Q(
            published_translation(model, language)
        )
    return slug_candidates(model, slug, field) & published
