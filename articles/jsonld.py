"""schema.org JSON-LD for an article: a NewsArticle about a MedicalTrial, in one language.

Every type and property is schema.org's, used where its vocabulary allows it (the tests check
the output against the vocabulary: tests/schema_org_check.py). Nothing is said that no user
recorded: no review without a current one, no sponsor, no presentation of results.
"""

from typing import NamedTuple
from urllib.parse import quote, urlsplit

from django.conf import settings

from articles.models import Article, Reference
from clinic.i18n.fallback import Localized

# ClinicalTrials.gov's wording of each phase: the same in every language (the API's
# ``phase_label`` is the translated one).
PHASE_NAMES = {
    Article.Phase.EARLY_PHASE_1: "Early Phase 1",
    Article.Phase.PHASE_1: "Phase 1",
    Article.Phase.PHASE_1_2: "Phase 1/Phase 2",
    Article.Phase.PHASE_2: "Phase 2",
    Article.Phase.PHASE_2_3: "Phase 2/Phase 3",
    Article.Phase.PHASE_3: "Phase 3",
    Article.Phase.PHASE_4: "Phase 4",
    Article.Phase.NOT_APPLICABLE: "Not Applicable",
}


class Registry(NamedTuple):
    """Where an identifier is registered: its name (``propertyID``) and its page.

    Only characters a URL cannot hold are percent-encoded, so a DOI's page reads as the DOI
    does (``https://doi.org/10.1016/S0140-6736(16)30000-0``).
    """

    name: str
    url_template: str

    def url(self, identifier: str) -> str:
        return self.url_template.format(quote(identifier, safe="/():;"))


REGISTRIES = {
    Reference.Kind.NCT: Registry("ClinicalTrials.gov", "https://clinicaltrials.gov/study/{}"),
    Reference.Kind.DOI: Registry("DOI", "https://doi.org/{}"),
    Reference.Kind.PMID: Registry("PubMed", "https://pubmed.ncbi.nlm.nih.gov/{}/"),
}


def _without_empty(data: dict) -> dict:
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def _registered(reference: Reference) -> Registry | None:
    return REGISTRIES.get(reference.kind) if reference.identifier else None


def _property_value(reference: Reference, registry: Registry) -> dict:
    return {
        "@type": "PropertyValue",
        "propertyID": registry.name,
        "value": reference.identifier,
        "url": registry.url(reference.identifier),
    }


def _trial_ids(article: Article) -> dict:
    """The trial's registry numbers (NCT) as ``code``, ``identifier`` and ``sameAs``.

    schema.org asks for study IDs in ``code`` (a ``MedicalCode``; see MedicalStudy); the
    ``identifier`` ``PropertyValue`` and the registry page in ``sameAs`` say the same for
    consumers that read only those.
    """
    registry = REGISTRIES[Reference.Kind.NCT]
    numbers = [ref for ref in article.reference_list if ref.kind == Reference.Kind.NCT]
    numbers = [ref for ref in numbers if ref.identifier]
    return {
        "code": [
            {"@type": "MedicalCode", "codeValue": ref.identifier, "codingSystem": registry.name}
            for ref in numbers
        ],
        "identifier": [_property_value(ref, registry) for ref in numbers],
        "sameAs": [registry.url(ref.identifier) for ref in numbers],
    }


def _cited_work(reference: Reference) -> dict:
    """A publication or page the article cites (DOI, PubMed record, web page).

    A DOI or a PMID names a publication about the trial, not the trial: it identifies the
    cited work (``citation``), and its registry page is that work's ``sameAs``.
    """
    registry = _registered(reference)
    return _without_empty(
        {
            "@type": "CreativeWork",
            "url": reference.url,
            "identifier": _property_value(reference, registry) if registry else None,
            "sameAs": registry.url(reference.identifier) if registry else None,
        }
    )


def _study_location(article: Article) -> dict | None:
    """Where the study ran, or ``None`` when its place is unknown.

    ``studyLocation`` expects an ``AdministrativeArea`` (its only range), so the institution's
    place (“New York, NY, United States”) is the area and the institution a ``Place`` in it
    (``containsPlace``): the site where the study ran. Not the place where results were
    presented: schema.org has no property for a study's presentation (``subjectOf`` an
    ``Event`` would call the meeting about the trial, and ``presented_at`` may be a journal).
    """
    if not article.institution_place:
        return None
    institution = {"@type": "Place", "name": article.institution} if article.institution else None
    return _without_empty(
        {
            "@type": "AdministrativeArea",
            "name": article.institution_place,
            "containsPlace": institution,
        }
    )


def _trial(article: Article, text: Localized) -> dict:
    """The trial under its registered name (never the headline).

    schema.org no longer has a ``phase`` property, so the phase is what schema.org offers for
    a more specific kind of thing, ``additionalType`` as text: a “Phase 1” trial, in
    ClinicalTrials.gov's words whatever the language (“Not Applicable” is no kind of trial).
    """
    phase = article.phase if article.phase != Article.Phase.NOT_APPLICABLE else ""
    condition, intervention = text.values["condition"], text.values["intervention"]
    return _without_empty(
        {
            "@type": "MedicalTrial",
            "name": article.study_title,
            "additionalType": PHASE_NAMES.get(phase),
            "healthCondition": {"@type": "MedicalCondition", "name": condition}
            if condition
            else None,
            "studySubject": {"@type": "MedicalTherapy", "name": intervention}
            if intervention
            else None,
            "studyLocation": _study_location(article),
            **_trial_ids(article),
        }
    )


def _reviewer(review: dict) -> dict:
    reviewer = review["reviewer"]
    return _without_empty(
        {
            "@type": "Person",
            "name": reviewer["name"],
            "honorificSuffix": reviewer["credentials"],
        }
    )


def _page(url: str, review: dict | None) -> dict:
    """The page, with ``reviewedBy``/``lastReviewed`` only from a current, recorded review."""
    return _without_empty(
        {
            "@type": "MedicalWebPage",
            "@id": url,
            "lastReviewed": review["last_reviewed"] if review else None,
            "reviewedBy": _reviewer(review) if review else None,
            "medicalAudience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        }
    )


def _publisher(url: str) -> dict:
    """``CLINIC_NAME`` (with ``CLINIC_URL``), or else the host that serves ``url``.

    Whoever runs a host publishes what it serves, so the host is a true publisher when no
    name is configured; a clinic's name is never made up.
    """
    if settings.CLINIC_NAME:
        return _without_empty(
            {"@type": "Organization", "name": settings.CLINIC_NAME, "url": settings.CLINIC_URL}
        )
    parts = urlsplit(url)
    return {
        "@type": "Organization",
        "name": parts.netloc,
        "url": f"{parts.scheme}://{parts.netloc}/",
    }


def _pixels(value: int) -> dict:
    """A size in pixels: schema.org's ``width``/``height`` take a ``QuantitativeValue``
    (UN/CEFACT unit E37, pixel)."""
    return {"@type": "QuantitativeValue", "value": value, "unitCode": "E37"}


def _image_objects(image: dict | None) -> list[dict]:
    """The lead image as ``ImageObject`` nodes: its own shape, then each crop, each at its
    widest; with the caption, credit and licence in the language served, as recorded."""
    if image is None or not image["largest"]:
        return []
    nodes = []
    for version in [image, *image["crops"].values()]:
        largest = version["largest"]
        url, width, height = largest["src"], largest["width"], largest["height"]
        nodes.append(
            _without_empty(
                {
                    "@type": "ImageObject",
                    "contentUrl": url,
                    "url": url,
                    "width": _pixels(width),
                    "height": _pixels(height),
                    "encodingFormat": version["type"],
                    "caption": image["caption"],
                    "description": image["alt_text"],
                    "creditText": image["credit"],
                    "license": image["license_url"],
                    "inLanguage": image["language"],
                }
            )
        )
    return nodes


def article_json_ld(
    article: Article,
    text: Localized,
    *,
    url: str,
    review: dict | None,
    image: dict | None = None,
) -> dict:
    """The article in ``text.language`` with its canonical ``url``.

    ``review``: the API's ``medical_review`` (a current review of the text served) or ``None``;
    without one, no review is claimed. ``image``: the API's lead ``image`` or ``None``.
    """
    cited = [ref for ref in article.reference_list if ref.kind != Reference.Kind.NCT]
    return _without_empty(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": text.values["title"],
            "description": text.values["summary"],
            "inLanguage": text.language,
            "datePublished": article.published_at.isoformat() if article.published_at else None,
            "dateModified": article.updated_at.isoformat(),
            "url": url,
            "image": _image_objects(image),
            "mainEntityOfPage": _page(url, review),
            "publisher": _publisher(url),
            "about": _trial(article, text),
            "citation": [_cited_work(ref) for ref in cited if ref.url or _registered(ref)],
        }
    )
