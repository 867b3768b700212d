"""Which fields of an object are missing, stale or current in a language.

Works for any model registered with :class:`~clinic.i18n.registry.ContentTranslationOptions`.
A field is

* *missing* when its source text is set but the translation is empty,
* *stale* when it is translated but the source changed since (or the source it
  was made from is unknown),
* *current* otherwise.

Fields whose source text is empty are not counted: there is nothing to translate.

This rule lives here only: :func:`field_status` in Python and
:func:`field_status_expression` in SQL (a test holds them to the same answers).
Field reports (:func:`field_statuses`), the fallback of the API
(:mod:`clinic.i18n.fallback`), completeness (:mod:`clinic.i18n.completeness`)
and the translation matrix (:mod:`clinic.i18n.matrix`) all ask them.
"""

import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce, Greatest
from django.db.models.lookups import Exact

from clinic.i18n.languages import source_language
from clinic.i18n.models import TranslationState
from clinic.i18n.registry import localized, translatable_fields
from clinic.memo import Memo


class FieldStatus(StrEnum):
    """The state of one field's translation; :attr:`severity` orders them, worst highest."""

    MISSING = "missing"
    STALE = "stale"
    CURRENT = "current"

    @property
    def severity(self) -> int:
        """0 current, 1 stale, 2 missing: how SQL states it (:func:`field_status_expression`)."""
        return _SEVERITIES.index(self)

    @classmethod
    def from_severity(cls, severity: int) -> "FieldStatus":
        return _SEVERITIES[severity]


_SEVERITIES = (FieldStatus.CURRENT, FieldStatus.STALE, FieldStatus.MISSING)


class TranslationStateLabel(StrEnum):
    """One word for a translation as a whole, worst first: what editors see in lists."""

    MISSING = "missing"
    STALE = "stale"
    DRAFT = "draft"
    CURRENT = "current"


@dataclass(frozen=True)
class TranslationReport:
    """The translation of one object into one language, field by field."""

    language: str
    published: bool
    fields: dict[str, FieldStatus] = field(default_factory=dict)

    def _with(self, status: FieldStatus) -> list[str]:
        return [name for name, value in self.fields.items() if value == status]

    @property
    def missing(self) -> list[str]:
        return self._with(FieldStatus.MISSING)

    @property
    def stale(self) -> list[str]:
        return self._with(FieldStatus.STALE)

    @property
    def current(self) -> list[str]:
        return self._with(FieldStatus.CURRENT)

    @property
    def overall(self) -> FieldStatus:
        """The worst state of any field: one missing field makes the translation missing.

        :func:`overall_status_expression` says the same in SQL.
        """
        return max(self.fields.values(), key=_SEVERITIES.index, default=FieldStatus.CURRENT)

    @property
    def label(self) -> TranslationStateLabel:
        """missing, stale, draft (complete and current but not published) or current."""
        if self.overall != FieldStatus.CURRENT:
            return TranslationStateLabel(self.overall.value)
        return TranslationStateLabel.CURRENT if self.published else TranslationStateLabel.DRAFT


@functools.cache
def _content_type_id(app_label: str, model_name: str) -> models.Subquery:
    """The id of a model's content type, as a scalar subquery (built once per model).

    Not Django's ContentType cache (whether it is warm would change query counts)
    and not a join (PostgreSQL then scans every state of the model): the
    database computes the id once per query and uses the unique index on
    (content_type, object_id, language). Querysets copy expressions they use,
    so one instance serves every query.
    """
    return models.Subquery(
        ContentType.objects.filter(app_label=app_label, model=model_name).values("pk")[:1]
    )


def _model_key(model: type[models.Model]) -> tuple[str, str]:
    opts = model._meta.concrete_model._meta
    return opts.app_label, opts.model_name


def content_type_q(model: type[models.Model], **lookups) -> models.Q:
    """Filter translation states by model (see :func:`_content_type_id`)."""
    return models.Q(content_type_id=_content_type_id(*_model_key(model)), **lookups)


@dataclass(frozen=True, slots=True)
class ServedState:
    """What a public response needs of a translation state (see ``attach_states(serving=…)``).

    Read-only; ``sources`` only for the language served.
    """

    language: str
    status: str
    served_sources: dict | None

    @property
    def is_published(self) -> bool:
        return self.status == TranslationState.Status.PUBLISHED

    @property
    def sources(self) -> dict:
        if self.served_sources is None:
            raise LookupError(
                f"The sources of the {self.language!r} state were not loaded: "
                "attach_states(serving=...) loads them for the language served only."
            )
        return self.served_sources


TRANSLATION_STATES: Memo[dict[str, "TranslationState | ServedState"]] = Memo(
    "translation_states",
    holds="language → the object's TranslationState (a ServedState when loaded for a response)",
    filled_by="attach_states (get_states loads a single object's)",
    invalidated_by="a write of the object's translation states: forget_states",
)


class ObjectIndex:
    """Objects of any models by their content type and pk, to load rows about them at once.

    For models that point at any content object (``content_type``, ``object_id``):
    translation states, medical reviews. :meth:`rows` selects the rows about
    every indexed object in one query, each annotated with its content type's
    natural key, and :meth:`owner` says which object a row belongs to.
    """

    def __init__(self, objects: Iterable[models.Model]) -> None:
        self._by_type: dict[tuple[str, str], dict[int, models.Model]] = defaultdict(dict)
        for obj in objects:
            if obj.pk is not None:
                self._by_type[_model_key(type(obj))][obj.pk] = obj

    def __iter__(self) -> Iterator[models.Model]:
        for by_pk in self._by_type.values():
            yield from by_pk.values()

    def __bool__(self) -> bool:
        return bool(self._by_type)

    def rows(self, queryset: models.QuerySet) -> models.QuerySet:
        condition = models.Q()
        for key, by_pk in self._by_type.items():
            condition |= models.Q(content_type_id=_content_type_id(*key), object_id__in=list(by_pk))
        # The content type's natural key says which model a row belongs to.
        return queryset.filter(condition).annotate(
            _app_label=models.F("content_type__app_label"), _model=models.F("content_type__model")
        )

    def owner(self, app_label: str, model: str, object_id: int) -> models.Model | None:
        return self._by_type[(app_label, model)].get(object_id)


def attach_states(objects: Iterable[models.Model], *, serving: str | None = None) -> None:
    """Load the translation states of ``objects`` (of any models) in one query.

    Afterwards :func:`get_states` answers from memory, so serialising a page of
    articles with their topics costs one query for all their states.

    ``serving``: a public response in this language is being built. It needs
    every state's status but only this language's ``sources`` (a copy of every
    source text, the largest column), and no model instances: the states are
    :class:`ServedState` objects.
    """
    index = ObjectIndex(objects)
    for obj in index:
        TRANSLATION_STATES.set(obj, {})
    if not index:
        return
    states = index.rows(TranslationState.objects)
    if serving is None:
        found = ((state._app_label, state._model, state.object_id, state) for state in states)
    else:
        rows = states.annotate(
            _sources=models.Case(
                models.When(language=serving, then=models.F("sources")),
                default=None,
                output_field=models.JSONField(),
            )
        ).values_list("_app_label", "_model", "object_id", "language", "status", "_sources")
        found = (
            (app_label, model, object_id, ServedState(language, status, sources))
            for app_label, model, object_id, language, status, sources in rows
        )
    for app_label, model, object_id, state in found:
        obj = index.owner(app_label, model, object_id)
        if obj is not None:
            TRANSLATION_STATES.get(obj)[state.language] = state


def get_states(obj: models.Model) -> dict[str, TranslationState]:
    """The translation states of ``obj`` by language (from :func:`attach_states` if loaded)."""
    states = TRANSLATION_STATES.get(obj)
    if states is None:
        attach_states([obj])
        states = TRANSLATION_STATES.get(obj)
    return {} if states is None else states


def forget_states(obj: models.Model) -> None:
    """Drop the states kept on ``obj`` after they were changed (and what was derived from them)."""
    TRANSLATION_STATES.forget(obj)


def is_blank(value: object) -> bool:
    """Empty as the database sees it (NULL or ''), so SQL and Python agree."""
    return value is None or value == ""


def has_text(column: str) -> Q:
    """SQL: ``column`` is not blank (the opposite of :func:`is_blank`)."""
    return Q(**{f"{column}__isnull": False}) & ~Q(**{column: ""})


def field_status(
    source: str | None, translation: str | None, translated_from: str | None
) -> FieldStatus | None:
    """The staleness rule: the status of one field's translation (``None``: not counted).

    ``source`` is the field's source-language text now, ``translation`` its text
    in the target language, ``translated_from`` the source text recorded when
    that translation was made (``None`` when unknown). The source language is
    its own translation, made from itself: current wherever it is set.
    :func:`field_status_expression` is the same rule in SQL.
    """
    # ``not text`` is :func:`is_blank` for text (None or ''), without a call: a hot path.
    if not source:
        return None
    if not translation:
        return FieldStatus.MISSING
    return FieldStatus.CURRENT if translated_from == source else FieldStatus.STALE


def translated_from_expression(model: type[models.Model], name: str, language: str) -> Subquery:
    """SQL: the source text ``name`` was translated into ``language`` from (NULL: unknown)."""
    states = TranslationState.objects.filter(
        content_type_q(model), object_id=OuterRef("pk"), language=language
    )
    return Subquery(states.annotate(text=KeyTextTransform(name, "sources")).values("text")[:1])


def field_status_expression(model: type[models.Model], name: str, language: str) -> Case:
    """SQL for :func:`field_status` of field ``name`` in ``language``, per row of ``model``.

    The status's :attr:`~FieldStatus.severity` (so that SQL can take the worst
    of several fields in one pass), NULL where the source text is blank. A
    target language costs one subquery on the unique index of translation states.
    """
    source_column = localized(name, source_language())
    not_counted = When(~has_text(source_column), then=Value(None))
    if language == source_language():  # the rule with the source as its own translation
        return Case(
            not_counted,
            default=Value(FieldStatus.CURRENT.severity),
            output_field=models.IntegerField(),
        )
    translated_from = translated_from_expression(model, name, language)
    return Case(
        not_counted,
        When(~has_text(localized(name, language)), then=Value(FieldStatus.MISSING.severity)),
        When(Exact(translated_from, F(source_column)), then=Value(FieldStatus.CURRENT.severity)),
        default=Value(FieldStatus.STALE.severity),
        output_field=models.IntegerField(),
    )


def overall_status_expression(model: type[models.Model], language: str) -> models.Expression:
    """SQL for :attr:`TranslationReport.overall`: the worst field's severity (0 if none counts).

    Each field's status is computed once per row.
    """
    severities = [
        Coalesce(field_status_expression(model, name, language), FieldStatus.CURRENT.severity)
        for name in translatable_fields(model)
    ]
    return Greatest(*severities) if len(severities) > 1 else severities[0]


def source_text(obj: models.Model, name: str) -> str:
    value = getattr(obj, localized(name, source_language()))
    return "" if value is None else str(value)


def translated_text(obj: models.Model, name: str, language: str) -> str:
    value = getattr(obj, localized(name, language))
    return "" if value is None else str(value)


def field_statuses(obj: models.Model, language: str) -> dict[str, FieldStatus]:
    """The :func:`field_status` of every translatable field of ``obj`` that has a source text."""
    is_source = language == source_language()
    state = get_states(obj).get(language)
    recorded = state.sources if state is not None else {}
    statuses: dict[str, FieldStatus] = {}
    for name in translatable_fields(type(obj)):
        original = source_text(obj, name)
        if is_source:
            status = field_status(original, original, original)
        else:
            status = field_status(
                original, translated_text(obj, name, language), recorded.get(name)
            )
        if status is not None:
            statuses[name] = status
    return statuses


def is_translation_published(obj: models.Model, language: str) -> bool:
    """Whether ``obj``'s text in ``language`` may be served (the source always may)."""
    if language == source_language():
        return True
    state = get_states(obj).get(language)
    return state is not None and state.is_published


def translation_report(obj: models.Model, language: str) -> TranslationReport:
    return TranslationReport(
        language=language,
        published=is_translation_published(obj, language),
        fields=field_statuses(obj, language),
    )
