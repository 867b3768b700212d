"""schema.org JSON-LD for an article: a NewsArticle about a MedicalTrial, in one language."""

from django.conf import settings

from articles.models import Article
from clinic.i18n.fallback import Localized


def _without_empty(data: dict) -> dict:
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def _reviewer(review: dict) -> dict:
    reviewer = review["reviewer"]
    return _without_empty(
        {
            "@type": "Person",
            "name": reviewer["name"],
            "honorificSuffix": reviewer["credentials"],
        }
    )


def article_json_ld(article: Article, text: Localized, *, url: str, review: dict | None) -> dict:
    """The article in ``text.language`` with its canonical ``url``.

    ``review``: the API's ``medical_review`` (a current review of the text
    served) or ``None``; without one, no review is claimed.
    """
    trial = _without_empty(
        {
            "@type": "MedicalTrial",
            "name": text.values["title"],
            "phase": article.get_phase_display() if article.phase else None,
            "healthCondition": _without_empty(
                {"@type": "MedicalCondition", "name": text.values["condition"]}
            )
            if text.values["condition"]
            else None,
            "studySubject": {"@type": "MedicalTherapy", "name": text.values["intervention"]}
            if text.values["intervention"]
            else None,
            "sponsor": {"@type": "Organization", "name": article.institution}
            if article.institution
            else None,
            "studyLocation": {"@type": "Place", "name": article.presented_place}
            if article.presented_place
            else None,
            "identifier": [reference.identifier for reference in article.reference_list] or None,
        }
    )
    page = _without_empty(
        {
            "@type": "MedicalWebPage",
            "@id": url,
            "lastReviewed": review["last_reviewed"] if review else None,
            "reviewedBy": _reviewer(review) if review else None,
            "medicalAudience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        }
    )
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
            "mainEntityOfPage": page,
            "about": trial,
            "publisher": {"@type": "Organization", "name": settings.CLINIC_NAME}
            if settings.CLINIC_NAME
            else None,
        }
    )
