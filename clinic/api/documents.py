"""The clinic's documents in the read model, rendered by the API's own serializers.

What the API serves is rendered once, when content is written
(:mod:`clinic.published.store`), by the same serializers and loaders the
model-based views use, with a stand-in request; reads add what depends on their
request (:func:`for_request`: the scheme and host of absolute URLs) without
rendering again.
"""

from collections import Counter
from collections.abc import Iterable, Iterator

from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest
from django.utils import translation

from clinic.api.serializers import ContactLineSerializer, DisclaimerSerializer
from clinic.i18n.languages import language_codes
from clinic.i18n.models import TranslationState
from clinic.i18n.state import attach_states, field_statuses
from clinic.images.models import Image
from clinic.models import ContactLine, Disclaimer
from clinic.published.models import Document
from clinic.published.store import Kind, affected_by, affects, merge_marks, register_kind
from clinic.rendering import dumps
from clinic.reviews.models import MedicalReview, Reviewer

#: Where an article's topics and disclaimers go in its stored documents (joined in at
#: read time: :meth:`clinic.api.published.Shared.joined`). Quotes in text are escaped, so
#: ``"topics":"<U+2063>topics"`` can only be found where a placeholder stands.
TOPICS = "\u2063topics"
DISCLAIMERS = "\u2063disclaimers"

#: The host of the stand-in request documents are rendered with (``.invalid`` is reserved).
PLACEHOLDER_HOST = "published-document.invalid"
PLACEHOLDER_ORIGIN = f"http://{PLACEHOLDER_HOST}"


def placeholder_request() -> HttpRequest:
    """A request for rendering documents: absolute URLs come out on :data:`PLACEHOLDER_HOST`."""
    request = HttpRequest()
    request.method = "GET"
    request.META.update(SERVER_NAME=PLACEHOLDER_HOST, SERVER_PORT="80")
    request.get_host = lambda: PLACEHOLDER_HOST
    request._current_scheme_host = PLACEHOLDER_ORIGIN
    return request


def render(data) -> bytes:
    """JSON exactly as the API's renderer writes it (:func:`clinic.rendering.dumps`)."""
    return dumps(data)


def for_request(body: bytes, request) -> bytes:
    """``body`` with absolute URLs (and the publishing host) of ``request``'s scheme and host."""
    if PLACEHOLDER_HOST.encode() not in body:
        return body
    host = request.get_host()
    body = body.replace(PLACEHOLDER_ORIGIN.encode(), f"{request.scheme}://{host}".encode())
    return body.replace(PLACEHOLDER_HOST.encode(), host.encode())


def ids_column(ids) -> str:
    """Ids as stored for reads to match one: ``|3|7|`` ("" for none)."""
    ids = list(ids)
    return "".join(f"|{pk}" for pk in ids) + "|" if ids else ""


def parse_ids(column: str) -> list[int]:
    return [int(pk) for pk in column.strip("|").split("|")] if column else []


def completeness_counts(obj, language: str) -> dict[str, int]:
    """``current``, ``stale`` and ``missing`` fields of ``obj`` in ``language`` (states loaded)."""
    counts = Counter(field_statuses(obj, language).values())
    return {"current": counts["current"], "stale": counts["stale"], "missing": counts["missing"]}


def serving_context(language: str) -> dict:
    """A serializer context as the API's views give, for a response in ``language``."""
    return {"request": placeholder_request(), "language": language}


def rendered_in(language: str, render_one) -> str:
    with translation.override(language):
        return render(render_one(serving_context(language))).decode()


def list_documents(kind: str, objects: list, serializer_class, arrange=None) -> Iterator[Document]:
    """Documents of an unpaginated list (contacts, disclaimers, topics), every language."""
    attach_states(objects)
    for language in language_codes():
        arranged = arrange(objects, language) if arrange else objects
        for position, obj in enumerate(arranged):
            yield Document(
                kind=kind,
                object_id=obj.pk,
                language=language,
                position=position,
                list_json=rendered_in(
                    language,
                    lambda context, obj=obj: serializer_class(obj, context=context).data,
                ),
                **completeness_counts(obj, language),
            )


def contact_lines_arranged(lines: Iterable[ContactLine], language: str) -> list[ContactLine]:
    """The lines that speak ``language`` first, each group in the lines' own order."""
    return sorted(lines, key=lambda line: language not in line.languages)


def _contact_documents(ids) -> Iterator[Document]:
    lines = list(ContactLine.objects.all())
    return list_documents("contact", lines, ContactLineSerializer, contact_lines_arranged)


def _disclaimer_documents(ids) -> Iterator[Document]:
    return list_documents("disclaimer", list(Disclaimer.objects.all()), DisclaimerSerializer)


def counting_documents(kind: str, queryset, ids) -> Iterator[Document]:
    """Rows of objects served inside others (reviewers, images): they only count their
    translation, for the languages' completeness."""
    objects = list(queryset if ids is None else queryset.filter(pk__in=ids))
    attach_states(objects)
    for obj in objects:
        for language in language_codes():
            yield Document(
                kind=kind, object_id=obj.pk, language=language, **completeness_counts(obj, language)
            )


def _reviewer_documents(ids) -> Iterator[Document]:
    return counting_documents("reviewer", Reviewer.objects.with_reviews(), ids)


def _image_documents(ids) -> Iterator[Document]:
    return counting_documents("image", Image.objects.all(), ids)


def ids_of(queryset):
    """``Kind.ids`` of the objects of ``queryset`` (evaluated when called)."""
    return lambda: queryset.all().values_list("pk", flat=True)


def _about(row) -> dict:
    """What a change of a row about a content object (a state, a review) affects."""
    model = ContentType.objects.get_for_id(row.content_type_id).model_class()
    return affected_by(model(pk=row.object_id)) if model else {}


def register_documents() -> None:
    register_kind(
        Kind("contact", ContactLine, _contact_documents, ids_of(ContactLine.objects), whole=True)
    )
    register_kind(
        Kind(
            "disclaimer", Disclaimer, _disclaimer_documents, ids_of(Disclaimer.objects), whole=True
        )
    )
    register_kind(
        Kind("reviewer", Reviewer, _reviewer_documents, ids_of(Reviewer.objects.with_reviews()))
    )
    register_kind(Kind("image", Image, _image_documents, ids_of(Image.objects)))
    affects(ContactLine, lambda line: {"contact": None})
    affects(Image, lambda image: {"image": {image.pk}})
    # Shown with articles too, but joined in when they are read: no article is rebuilt.
    affects(Disclaimer, lambda disclaimer: {"disclaimer": None})
    affects(Reviewer, _reviewer_affects)
    affects(TranslationState, _about)
    affects(MedicalReview, lambda review: {**_about(review), "reviewer": {review.reviewer_id}})


def _reviewer_affects(reviewer: Reviewer) -> dict:
    """A reviewer's own row, and whatever shows the reviews they signed."""
    marks: dict = {"reviewer": {reviewer.pk}}
    for review in MedicalReview.objects.filter(reviewer_id=reviewer.pk).only(
        "content_type_id", "object_id"
    ):
        merge_marks(marks, _about(review))
    return marks
