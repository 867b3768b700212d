"""The published read model: one row per public object and language, the API's documents.

Rows are written by :mod:`clinic.published.store` in the transaction that
changes the content they are built from; the API reads nothing else for public
responses. A row that stops being public (unpublished, deleted) stays as an
empty *tombstone* (``visible`` false, no text), so that a list's
``Last-Modified`` still moves when something leaves it.
"""

from django.db import models


class Document(models.Model):
    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    language = models.CharField(max_length=10)
    #: False: a tombstone (not public any more); every text column is empty.
    visible = models.BooleanField(default=True)
    #: The slug of this language version, if a reader may see that version ("" otherwise).
    slug = models.CharField(max_length=255, blank=True, default="")
    #: From when the public may see it (articles: ``published_at``); NULL: always.
    public_from = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    #: The title as served in this language (ordering by title).
    sort_title = models.TextField(blank=True, default="")
    #: Place in an unpaginated list served in this language.
    position = models.IntegerField(default=0)
    #: Ids of the object's topics, as ``|3|7|`` (topic filter; joined in at read time).
    topic_ids = models.CharField(max_length=1000, blank=True, default="")
    #: Ids of the disclaimers linked to the object itself, as ``|4|`` (joined in at read time).
    disclaimer_ids = models.CharField(max_length=1000, blank=True, default="")
    #: The JSON served in lists (and for objects without a detail, everywhere).
    list_json = models.TextField(blank=True, default="")
    #: The JSON of the detail ("" for kinds without one).
    detail_json = models.TextField(blank=True, default="")
    #: Translation completeness of this object in this language (the languages endpoint).
    current = models.PositiveIntegerField(default=0)
    stale = models.PositiveIntegerField(default=0)
    missing = models.PositiveIntegerField(default=0)
    #: When this row last changed (``Last-Modified``).
    changed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "language"], name="published_document_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["kind", "language", "-public_from", "-object_id"],
                name="published_document_newest",
            ),
            models.Index(fields=["kind", "slug"], name="published_document_slug"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} ({self.language})"


class Tag(models.Model):
    """What changed, and when: each cached response names the tags it depends on."""

    name = models.CharField(max_length=200, primary_key=True)
    seq = models.BigIntegerField(db_index=True)
    changed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} @{self.seq}"


class Sequence(models.Model):
    """One row: the number of the last change (incremented under a row lock, so commits
    are numbered in the order they commit)."""

    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"change {self.value}"


class Configuration(models.Model):
    """One row: the settings the stored documents were rendered with (and their fingerprint).

    Written by a complete ``published_rebuild``; ``published_rebuild
    --if-settings-changed`` compares it with the settings of the running code.
    """

    fingerprint = models.CharField(max_length=64)
    settings = models.JSONField(default=dict)
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"rendered with {self.fingerprint[:12]}"
