"""The rules of medical review: what a review covers, when it is current, recording one.

A review of an object in a language covers

* the *source*: every translatable field in the source language and the
  object's registered facts (for an article: study phase, enrollment,
  institution, investigator, meeting, references), and
* for a target language, that language's *translation* of every field.

Both are kept as fingerprints (SHA-256 of the texts), so a review is
**current** exactly while the object still holds what was reviewed: an edit of
the English or of a fact outdates the reviews of every language, an edit of a
translation outdates that language's reviews. Whatever wrote the change (the
admin, a PO import, a restored revision) does not matter. Only a current review
is ever stated in the API.
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from reversion.models import Version

from clinic.content import reviewable
from clinic.i18n.languages import get_language, source_language
from clinic.i18n.registry import localized, translatable_fields
from clinic.i18n.state import ObjectIndex, source_text
from clinic.memo import Memo
from clinic.reviews.models import MedicalReview, Reviewer

MEDICAL_REVIEWS: Memo[list[MedicalReview]] = Memo(
    "medical_reviews",
    holds="the object's medical reviews with their reviewers, newest first",
    filled_by="attach_reviews (a single object's on first use)",
    invalidated_by="recording a review: medical_review_record (forget_reviews)",
)


class ReviewState(StrEnum):
    CURRENT = "current"
    SOURCE_CHANGED = "source_changed"
    TRANSLATION_CHANGED = "translation_changed"
    NOT_REVIEWED = "not_reviewed"


@dataclass(frozen=True)
class ReviewStatus:
    """The review of one object in one language: its state and the reviews behind it."""

    language: str
    state: ReviewState
    #: The newest current review, the one the API states (``None`` unless current).
    current: MedicalReview | None
    #: The newest review of any state, for editors ("outdated since ...").
    latest: MedicalReview | None


class ReviewRefused(Exception):
    """A review cannot be recorded; ``problems`` says why, for the reviewer."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _digest(data: object) -> str:
    payload = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def source_fingerprint(obj: models.Model) -> str:
    """What every language's review covers: the source text and the facts."""
    model = type(obj)
    return _digest(
        {
            "facts": reviewable(model).review_facts(obj),
            "text": {name: source_text(obj, name) for name in translatable_fields(model)},
        }
    )


def text_fingerprint(obj: models.Model, language: str) -> str:
    """What a target language's review covers besides the source: its translation."""
    if language == source_language():
        return ""
    return _digest(
        {
            name: getattr(obj, localized(name, language)) or ""
            for name in translatable_fields(type(obj))
        }
    )


def attach_reviews(objects: Iterable[models.Model], languages: Iterable[str] | None = None) -> None:
    """Load the reviews (and reviewers) of ``objects`` of any models in one query.

    ``languages``: only the reviews of these languages (a public response needs
    the language served and the source).
    """
    index = ObjectIndex(objects)
    for obj in index:
        MEDICAL_REVIEWS.set(obj, [])
    if not index:
        return
    reviews = index.rows(MedicalReview.objects.select_related("reviewer"))
    if languages is not None:
        reviews = reviews.filter(language__in=list(languages))
    for review in reviews:
        obj = index.owner(review._app_label, review._model, review.object_id)
        if obj is not None:
            MEDICAL_REVIEWS.get(obj).append(review)


def loaded_reviewers(objects: Iterable[models.Model]) -> list[Reviewer]:
    """The reviewers of the reviews :func:`attach_reviews` loaded for ``objects``, each once."""
    reviewers = {
        review.reviewer_id: review.reviewer
        for obj in objects
        for review in MEDICAL_REVIEWS.get(obj) or ()
    }
    return list(reviewers.values())


def _reviews(obj: models.Model) -> list[MedicalReview]:
    if obj.pk is None:  # not saved yet: nothing can have been reviewed
        return []
    if not MEDICAL_REVIEWS.is_set(obj):
        attach_reviews([obj])
    return MEDICAL_REVIEWS.get(obj)


def forget_reviews(obj: models.Model) -> None:
    MEDICAL_REVIEWS.forget(obj)


def review_status(obj: models.Model, language: str) -> ReviewStatus:
    """Whether ``obj``'s text in ``language`` has a current review (reviews newest first)."""
    reviews = [review for review in _reviews(obj) if review.language == language]
    if not reviews:
        return ReviewStatus(language, ReviewState.NOT_REVIEWED, None, None)
    source, text = source_fingerprint(obj), text_fingerprint(obj, language)
    for review in reviews:
        if review.source_fingerprint == source and review.text_fingerprint == text:
            return ReviewStatus(language, ReviewState.CURRENT, review, reviews[0])
    latest = reviews[0]
    state = (
        ReviewState.SOURCE_CHANGED
        if latest.source_fingerprint != source
        else ReviewState.TRANSLATION_CHANGED
    )
    return ReviewStatus(language, state, None, latest)


def current_review(obj: models.Model, language: str) -> MedicalReview | None:
    """The review the public may be told about: current, of ``obj`` in ``language``."""
    return review_status(obj, language).current


def review_publish_problems(obj: models.Model, language: str) -> list[str]:
    """Why ``obj`` may not be published in ``language`` for lack of a review (see settings)."""
    if not settings.MEDICAL_REVIEW_REQUIRED:
        return []
    status = review_status(obj, language)
    if status.state == ReviewState.CURRENT:
        return []
    name = get_language(language).name_translated
    if status.state == ReviewState.NOT_REVIEWED:
        return [
            _("The %(language)s text has no medical review: record one before publishing.")
            % {"language": name}
        ]
    return [
        _(
            "The medical review of the %(language)s text is outdated: the text changed "
            "since it was reviewed. Record a new review before publishing."
        )
        % {"language": name}
    ]


def _latest_revision(obj: models.Model):
    version = Version.objects.get_for_object(obj).select_related("revision").first()
    return version.revision if version is not None else None


@transaction.atomic
def medical_review_record(
    *,
    obj: models.Model,
    language: str,
    reviewed_on: date,
    by: AbstractBaseUser,
    note: str = "",
    seen: str | None = None,
) -> MedicalReview:
    """Record that the user ``by`` reviewed ``obj``'s current text in ``language``.

    A review is signed: ``by`` needs the ``reviews.review_medical_content``
    permission and a :class:`Reviewer` profile (name, credentials) linked to
    their account, which is what readers are shown. ``seen``: the
    :func:`review_seal` of the text the reviewer was shown; if the text changed
    since, the review is refused (it would sign text nobody read).
    """
    reviewer = signing_reviewer(by)
    if reviewer is None:
        raise ReviewRefused(
            [
                _(
                    "Only a medical reviewer may record reviews: this needs the permission "
                    "and a reviewer profile linked to your account."
                )
            ]
        )
    locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    problems = []
    changed_on = getattr(locked, "updated_at", None)
    if changed_on is not None and reviewed_on < timezone.localdate(changed_on):
        problems.append(
            _("The text last changed on %(date)s: a review of it cannot be dated earlier.")
            % {"date": timezone.localdate(changed_on).isoformat()}
        )
    if seen is not None and seen != review_seal(locked, language):
        problems.append(
            _(
                "The text changed while you were reviewing it. Nothing was recorded: "
                "review the current text."
            )
        )
    if reviewed_on > timezone.localdate():
        problems.append(_("A review cannot be dated in the future."))
    if problems:
        raise ReviewRefused(problems)
    review = MedicalReview.objects.create(
        content_type=ContentType.objects.get_for_model(locked, for_concrete_model=True),
        object_id=locked.pk,
        language=language,
        reviewer=reviewer,
        reviewed_on=reviewed_on,
        note=note,
        source_fingerprint=source_fingerprint(locked),
        text_fingerprint=text_fingerprint(locked, language),
        revision=_latest_revision(locked),
        recorded_by=by,
    )
    forget_reviews(obj)
    return review


def signing_reviewer(user: AbstractBaseUser) -> Reviewer | None:
    """The reviewer ``user`` signs as, if they may record reviews at all."""
    if not user.is_authenticated or not user.has_perm("reviews.review_medical_content"):
        return None
    return Reviewer.objects.filter(user=user).first()


def review_seal(obj: models.Model, language: str) -> str:
    """One value for what a review of ``obj`` in ``language`` would cover, for forms."""
    return f"{source_fingerprint(obj)}:{text_fingerprint(obj, language)}"
