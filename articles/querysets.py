"""Reads of research news: chainable queryset methods that own their joins."""

from datetime import datetime

from django.db import models
from django.utils import timezone


class TopicQuerySet(models.QuerySet):
    pass


class ArticleQuerySet(models.QuerySet):
    def published(self, *, now: datetime | None = None) -> "ArticleQuerySet":
        """Articles the public may see: published, and not scheduled for later."""
        return self.filter(
            status=self.model.Status.PUBLISHED,
            published_at__isnull=False,
            published_at__lte=now or timezone.now(),
        )
