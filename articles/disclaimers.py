"""The disclaimers shown with articles: those for every article, and an article's own."""

from django.db import models

from articles.models import Article
from clinic.models import Disclaimer


def disclaimers_for(article: Article) -> models.QuerySet[Disclaimer]:
    """The disclaimers shown with ``article``: those for every article, and its own."""
    return Disclaimer.objects.filter(
        models.Q(applies_to=Disclaimer.AppliesTo.ARTICLES) | models.Q(articles=article)
    ).distinct()


def disclaimers_for_articles(ids: list[int]) -> models.QuerySet[Disclaimer]:
    """The disclaimers of several articles in one query (see :func:`shown_with`).

    One row per disclaimer and linked article, ``linked_article`` says which.
    """
    return Disclaimer.objects.annotate(linked_article=models.F("articles")).filter(
        models.Q(applies_to=Disclaimer.AppliesTo.ARTICLES) | models.Q(linked_article__in=ids)
    )


def shown_with(disclaimers: list[Disclaimer], article: Article) -> list[Disclaimer]:
    """Of rows from :func:`disclaimers_for_articles`, those shown with ``article``.

    In the same order as :func:`disclaimers_for`, each once.
    """
    chosen = {}
    for disclaimer in disclaimers:
        applies = disclaimer.applies_to == Disclaimer.AppliesTo.ARTICLES
        if applies or disclaimer.linked_article == article.pk:
            chosen.setdefault(disclaimer.pk, disclaimer)
    return list(chosen.values())
