from django.db import models


class DisclaimerQuerySet(models.QuerySet):
    def for_article(self, article: models.Model) -> "DisclaimerQuerySet":
        """The disclaimers shown with ``article``: those for every article, and its own."""
        return self.filter(
            models.Q(applies_to=self.model.AppliesTo.ARTICLES) | models.Q(articles=article)
        ).distinct()
