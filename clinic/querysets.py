from django.db import models


class DisclaimerQuerySet(models.QuerySet):
    def for_article(self, article: models.Model) -> "DisclaimerQuerySet":
        """The disclaimers shown with ``article``: those for every article, and its own."""
        return self.filter(
            models.Q(applies_to=self.model.AppliesTo.ARTICLES) | models.Q(articles=article)
        ).distinct()

    def for_articles(self, ids: list[int]) -> "DisclaimerQuerySet":
        """The disclaimers of several articles in one query (see :func:`shown_with`).

        One row per disclaimer and linked article, ``linked_article`` says which.
        """
        return self.annotate(linked_article=models.F("articles")).filter(
            models.Q(applies_to=self.model.AppliesTo.ARTICLES) | models.Q(linked_article__in=ids)
        )


def shown_with(disclaimers: list[models.Model], article: models.Model) -> list[models.Model]:
    """Of rows from :meth:`DisclaimerQuerySet.for_articles`, those shown with ``article``.

    In the same order as :meth:`DisclaimerQuerySet.for_article`, each once.
    """
    chosen = {}
    for disclaimer in disclaimers:
        applies = disclaimer.applies_to == type(disclaimer).AppliesTo.ARTICLES
        if applies or disclaimer.linked_article == article.pk:
            chosen.setdefault(disclaimer.pk, disclaimer)
    return list(chosen.values())
