"""Which content is medical and needs a review: each app registers its models in ``ready()``.

A registration names the model and, optionally, the language-independent facts a
review covers besides the translated text (an article's study phase, enrollment,
references...). Shared code asks this module and names no app.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models

Facts = Callable[[models.Model], dict]


@dataclass(frozen=True)
class Reviewable:
    model: type[models.Model]
    facts: Facts


_registry: dict[type[models.Model], Reviewable] = {}


def register_reviewable(model: type[models.Model], *, facts: Facts | None = None) -> None:
    """Declare ``model`` medical content: its text in each language is reviewed."""
    _registry[model] = Reviewable(model=model, facts=facts or (lambda obj: {}))


def is_reviewable(model: type[models.Model]) -> bool:
    return model._meta.concrete_model in _registry


def reviewable(model: type[models.Model]) -> Reviewable:
    return _registry[model._meta.concrete_model]
