from collections.abc import Iterable

from django.db import models


class ImageQuerySet(models.QuerySet):
    def by_keys(self, keys: Iterable[str]) -> dict[str, models.Model]:
        """Key (as text) → image of the library images among ``keys`` (one query; none if empty)."""
        keys = list(keys)
        if not keys:
            return {}
        return {str(image.key): image for image in self.filter(key__in=keys)}
