"""Writes and rules of the editorial workflow: publishing gates, publishing, preview tokens."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.disclaimers import disclaimers_for
from articles.models import Article
from clinic.html import library_image_keys
from clinic.i18n.languages import get_language, source_language
from clinic.i18n.registry import localized
from clinic.i18n.services import content_save, translation_invariant_problems
from clinic.i18n.state import FieldStatus, attach_states, translation_report
from clinic.images.models import Image
from clinic.models import Disclaimer
from clinic.reviews.services import review_publish_problems
from clinic.revisions import content_revision

PREVIEW_SALT = "articles.preview"


class PublishRefused(Exception):
    """Publishing is refused; ``problems`` says exactly why, for the editor."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def article_review_facts(article: Article) -> dict:
    """What a medical review of an article covers besides its text: the study's facts."""
    return {
        "study": [
            article.study_title,
            article.phase,
            article.enrollment,
            article.institution,
            article.institution_place,
            article.lead_investigator,
            article.presented_at,
            article.presented_on,
            article.presented_place,
        ],
        "references": [
            [reference.kind, reference.identifier, reference.url]
            for reference in article.reference_list
        ],
    }


def article_publish_problems(article: Article, disclaimers: list[Disclaimer]) -> list[str]:
    """Why ``article`` may not be (or stay) published with ``disclaimers`` (empty: it may)."""
    attached = {disclaimer.key for disclaimer in disclaimers}
    return [
        _("Attach the “%(key)s” disclaimer before publishing.") % {"key": key}
        for key in settings.ARTICLE_REQUIRED_DISCLAIMERS
        if key not in attached
    ]


def images_shown(article: Article, language: str) -> list[Image]:
    """The library images a reader of ``article`` in ``language`` sees: the lead image, then
    those of the body served in that language (the translation's, else the source's)."""
    body = getattr(article, localized("body", language)) or getattr(
        article, localized("body", source_language())
    )
    images = list(Image.objects.by_keys(library_image_keys(body or "")).values())
    if article.lead_image_id is not None and article.lead_image not in images:
        images.insert(0, article.lead_image)
    return images


def article_image_problems(article: Article, language: str) -> list[str]:
    """Why images keep the ``language`` version of ``article`` from going live.

    Every image shown that is not marked decorative needs its alternative text in that
    language: written, current (translated from the English as it is now) and published.
    """
    name = get_language(language).name_translated
    images = [image for image in images_shown(article, language) if not image.decorative]
    attach_states(images)
    problems = []
    for image in images:
        report = translation_report(image, language)
        status = report.fields.get("alt_text", FieldStatus.MISSING)
        if status == FieldStatus.MISSING:
            problems.append(
                _("The image “%(image)s” has no alternative text in %(language)s.")
                % {"image": image, "language": name}
            )
        elif status == FieldStatus.STALE:
            problems.append(
                _(
                    "The %(language)s alternative text of the image “%(image)s” is stale: "
                    "the English changed."
                )
                % {"image": image, "language": name}
            )
        elif not report.published:
            problems.append(
                _("The %(language)s text of the image “%(image)s” is not published.")
                % {"image": image, "language": name}
            )
    return problems


def article_going_live_problems(article: Article, disclaimers: list[Disclaimer]) -> list[str]:
    """Why an unpublished ``article`` may not be published now.

    Besides :func:`article_publish_problems`, its English text needs a current
    medical review (unless ``MEDICAL_REVIEW_REQUIRED`` is off). Checked when it
    goes live only: an edit of a published article keeps it published, and the
    API then states no review until the new text is reviewed.
    """
    return [
        *article_publish_problems(article, disclaimers),
        *article_image_problems(article, source_language()),
        *review_publish_problems(article, source_language()),
    ]


def article_translation_problems(
    article: Article, language: str, disclaimers: list[Disclaimer]
) -> list[str]:
    """Why the ``language`` version of ``article`` may not be published.

    Every disclaimer shown with the article must be translated, current and
    published in that language, so must the alternative text of every image it shows
    (:func:`article_image_problems`), the translation must keep the numbers,
    phone numbers, URLs and study identifiers of the English text, and it needs
    a current medical review in that language (unless ``MEDICAL_REVIEW_REQUIRED``
    is off).
    """
    name = get_language(language).name_translated
    attach_states(disclaimers)
    problems = []
    for disclaimer in disclaimers:
        report = translation_report(disclaimer, language)
        if report.missing:
            problems.append(
                _("The “%(key)s” disclaimer is not translated into %(language)s.")
                % {"key": disclaimer.key, "language": name}
            )
        elif report.stale:
            problems.append(
                _("The %(language)s “%(key)s” disclaimer is stale: the English text changed.")
                % {"key": disclaimer.key, "language": name}
            )
        elif not report.published:
            problems.append(
                _("The %(language)s “%(key)s” disclaimer is not published.")
                % {"key": disclaimer.key, "language": name}
            )
    problems += article_image_problems(article, language)
    problems += translation_invariant_problems(article, language)
    problems += review_publish_problems(article, language)
    return problems


@transaction.atomic
def article_publish(*, article: Article, by: AbstractBaseUser | None = None) -> Article:
    """Publish ``article`` now (or at its future ``published_at``: scheduled)."""
    disclaimers = list(disclaimers_for(article))
    if article.status == Article.Status.PUBLISHED:
        problems = article_publish_problems(article, disclaimers)
    else:
        problems = article_going_live_problems(article, disclaimers)
    if problems:
        raise PublishRefused(problems)
    with content_revision("Published", by):
        article.status = Article.Status.PUBLISHED
        article.published_at = article.published_at or timezone.now()
        article.version += 1
        content_save(obj=article, by=by)
    return article


@transaction.atomic
def article_unpublish(*, article: Article, by: AbstractBaseUser | None = None) -> Article:
    with content_revision("Unpublished", by):
        article.status = Article.Status.DRAFT
        article.version += 1
        content_save(obj=article, by=by)
    return article


def preview_token(article: Article) -> str:
    """A signed token that shows ``article`` as the API would, published or not."""
    return signing.dumps({"article": article.pk}, salt=PREVIEW_SALT, compress=True)


def article_from_preview_token(token: str) -> Article:
    """The article of a valid, unexpired token; raises ``signing.BadSignature`` otherwise."""
    data = signing.loads(token, salt=PREVIEW_SALT, max_age=settings.PREVIEW_MAX_AGE)
    return Article.objects.for_api().get(pk=data["article"])
