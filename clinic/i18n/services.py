"""The one write path of content (:func:`content_save`) and its writes to translation state."""

from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext

import reversion
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction

from clinic.content import bulk_write, content_saved
from clinic.html import sanitize_html
from clinic.i18n.invariants import compare
from clinic.i18n.languages import language_codes, source_language, target_languages
from clinic.i18n.models import TranslationState
from clinic.i18n.registry import html_fields, localized, translatable_fields
from clinic.i18n.slugs import derive_slugs
from clinic.i18n.state import forget_states, get_states, source_text
from clinic.revisions import content_revision


def _locked_state(obj: models.Model, language: str) -> TranslationState:
    state, _created = TranslationState.objects.select_for_update().get_or_create(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=obj.pk,
        language=language,
    )
    return state


def _user_or_none(by: AbstractBaseUser | None) -> AbstractBaseUser | None:
    return by if by is not None and by.is_authenticated else None


@transaction.atomic
def translation_record(
    *,
    obj: models.Model,
    language: str,
    fields: Iterable[str] | None = None,
    origin: str = TranslationState.Origin.ADMIN,
    origin_detail: str = "",
    status: str | None = None,
    by: AbstractBaseUser | None = None,
) -> TranslationState:
    """Record that ``fields`` of ``obj`` in ``language`` now translate the current source.

    Each field's current source-language text is stored as the text it was
    translated from, so the field is current until the source changes again.
    ``fields=None`` records every translatable field.
    """
    if language == source_language() or language not in target_languages():
        raise ValueError(f"{language!r} is not a target language")
    allowed = translatable_fields(type(obj))
    names = allowed if fields is None else [name for name in fields if name in allowed]
    state = _locked_state(obj, language)
    for name in names:
        state.sources[name] = source_text(obj, name)
    state.origin = origin
    state.origin_detail = origin_detail
    state.updated_by = _user_or_none(by)
    if status is not None:
        state.status = status
    state.save()
    forget_states(obj)
    return state


@transaction.atomic
def translation_set_status(
    *, obj: models.Model, language: str, status: str, by: AbstractBaseUser | None = None
) -> TranslationState:
    """Publish or unpublish ``obj``'s translation into ``language``."""
    state = _locked_state(obj, language)
    state.status = status
    state.updated_by = _user_or_none(by)
    state.save(update_fields=["status", "updated_by", "updated_at"])
    forget_states(obj)
    return state


def sanitize_html_fields(obj: models.Model) -> None:
    """Run every HTML field of ``obj``, in every language, through the allow-list."""
    for name in html_fields(type(obj)):
        for language in language_codes():
            column = localized(name, language)
            value = getattr(obj, column)
            if value:
                setattr(obj, column, sanitize_html(value))


@transaction.atomic
def content_save(
    *,
    obj: models.Model,
    changed_fields: Iterable[str] = (),
    statuses: dict[str, str] | None = None,
    by: AbstractBaseUser | None = None,
    origin: str = TranslationState.Origin.ADMIN,
    origin_detail: str = "",
    validate: bool = False,
    comment: str = "",
) -> None:
    """The one write path of content: every save of translated content goes through here.

    In order: sanitise HTML fields, derive empty slugs, validate (``validate``:
    the model's rules, lengths, choices, uniqueness, and the invariants of each
    target language changed; the admin's forms and the PO import check before
    they call), save, record the current source for each
    translated column in ``changed_fields`` (``title_ar``...) with its ``origin``,
    apply the per-language publishing ``statuses``, keep the save in a revision
    (the caller's, or a new one with ``comment``), and announce it
    (:data:`clinic.content.content_saved`); work derived from the save (search
    documents, the published read model) is done once, at the end, in the same
    transaction (:func:`clinic.content.bulk_write`). The admin, the PO import, the demo
    loader, publishing and the test factories all save through it.
    """
    with bulk_write(), _revision(comment, by):
        sanitize_html_fields(obj)
        derive_slugs(obj)
        changed = tuple(changed_fields)
        if validate:
            _validate(obj, changed)
        obj.save()
        model_fields = translatable_fields(type(obj))
        for language in target_languages():
            fields = [name for name in model_fields if localized(name, language) in changed]
            if fields:
                translation_record(
                    obj=obj,
                    language=language,
                    fields=fields,
                    origin=origin,
                    origin_detail=origin_detail,
                    by=by,
                )
        current = {language: state.status for language, state in get_states(obj).items()}
        for language, status in (statuses or {}).items():
            if current.get(language, TranslationState.Status.DRAFT) != status:
                translation_set_status(obj=obj, language=language, status=status, by=by)
        content_saved.send(sender=type(obj), obj=obj, fields=changed, origin=origin)


def _validate(obj: models.Model, changed: tuple[str, ...]) -> None:
    """The model's own rules, and the invariants of every target language changed."""
    obj.full_clean()
    problems = [
        problem
        for language in target_languages()
        if any(localized(name, language) in changed for name in translatable_fields(type(obj)))
        for problem in translation_invariant_problems(obj, language)
    ]
    if problems:
        raise ValidationError(problems)


def _revision(comment: str, by: AbstractBaseUser | None) -> AbstractContextManager:
    """The caller's revision if one is open (the admin's, an import's), else a new one."""
    if reversion.is_active():
        return nullcontext()
    return content_revision(comment or "Saved", by)


def translation_invariant_problems(obj: models.Model, language: str) -> list[str]:
    """Why ``obj``'s text in ``language`` may not be published: tokens that differ from the source.

    One message per field, naming the field and the tokens (numbers, phone
    numbers, URLs, e-mail addresses, NCT/DOI/PMID identifiers).
    """
    problems = []
    for name in translatable_fields(type(obj)):
        translation = getattr(obj, localized(name, language))
        if not translation:
            continue
        for mismatch in compare(source_text(obj, name), translation, language):
            label = type(obj)._meta.get_field(name).verbose_name
            problems.append(f"{label} ({localized(name, language)}): {mismatch}")
    return problems
