"""The settings documents are rendered with, recorded, so a change of them is not missed.

Documents are rendered when content is written; some of what they hold comes
from settings (public page URLs, the publisher of JSON-LD). Apps name those
settings (:func:`rendered_with`); a complete ``published_rebuild`` records their
values (:func:`record`), and ``published_rebuild --if-settings-changed``, run
when the service starts (``make run``, ``make serve``), rebuilds only when they
differ from what was recorded (:func:`changed`), so the read model never keeps
serving URLs of a previous configuration. :data:`FORMAT` is recorded with them: a
release that changes what documents hold changes it, and the first start after
the upgrade rebuilds them.
"""

import hashlib
import json

from django.conf import settings
from django.utils import timezone

from clinic.published.models import Configuration

_names: list[str] = []

#: The shape of the stored documents: change it with any change of what they hold (a
#: field added, removed or reshaped), so that deployed read models are rebuilt.
#: 2026-12-01: lists show the lead image as a card.
FORMAT = "2026-12-01"


def rendered_with(*names: str) -> None:
    """Say that documents hold what the settings ``names`` say (a change needs a rebuild)."""
    for name in names:
        if name not in _names:
            _names.append(name)


def current() -> dict:
    """The settings documents depend on, as the running code has them, and their format."""
    return {
        "FORMAT": FORMAT,
        **{name: getattr(settings, name, None) for name in sorted(_names)},
    }


def fingerprint(values: dict) -> str:
    encoded = json.dumps(values, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


def changed() -> bool:
    """Whether the stored documents may have been rendered with other settings than these."""
    recorded = Configuration.objects.filter(pk=1).values_list("fingerprint", flat=True).first()
    return recorded != fingerprint(current())


def record() -> None:
    """Record the current settings as those the stored documents were rendered with."""
    values = current()
    Configuration.objects.update_or_create(
        pk=1,
        defaults={
            "fingerprint": fingerprint(values),
            "settings": json.loads(json.dumps(values, default=str)),
            "recorded_at": timezone.now(),
        },
    )
