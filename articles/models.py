import functools
import re

from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.querysets import TOPIC_LIST, ArticleQuerySet, TopicQuerySet
from clinic.i18n.db import unique_per_language
from clinic.i18n.models import TranslationState
from clinic.images.models import Image
from clinic.models import Disclaimer


class Topic(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=120, allow_unicode=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    translation_states = GenericRelation(TranslationState)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        constraints = unique_per_language("slug", prefix="topic")

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    """A piece of research news, typically the report of a clinical trial."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")

    class Phase(models.TextChoices):
        EARLY_PHASE_1 = "early_phase1", _("Early phase 1")
        PHASE_1 = "phase1", _("Phase 1")
        PHASE_1_2 = "phase1_phase2", _("Phase 1/2")
        PHASE_2 = "phase2", _("Phase 2")
        PHASE_2_3 = "phase2_phase3", _("Phase 2/3")
        PHASE_3 = "phase3", _("Phase 3")
        PHASE_4 = "phase4", _("Phase 4")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    # Translated text (see translation.py).
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, allow_unicode=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), blank=True, help_text=_("Sanitised HTML."))
    seo_title = models.CharField(_("SEO title"), max_length=70, blank=True)
    seo_description = models.CharField(_("SEO description"), max_length=160, blank=True)
    lead_image = models.ForeignKey(
        Image,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead_of",
        verbose_name=_("lead image"),
        help_text=_("Shown with the article in lists and at its top; its JSON-LD image."),
    )

    # Publishing.
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("published at"), null=True, blank=True, help_text=_("A future time schedules it.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    topics = models.ManyToManyField(
        Topic, related_name="articles", blank=True, verbose_name=_("topics")
    )
    disclaimers = models.ManyToManyField(
        Disclaimer,
        related_name="articles",
        blank=True,
        verbose_name=_("extra disclaimers"),
        help_text=_("Disclaimers that apply to every article are always shown."),
    )

    # Study metadata.
    study_title = models.CharField(
        _("study title"),
        max_length=300,
        blank=True,
        help_text=_("The trial's own name, as registered (e.g. on ClinicalTrials.gov)."),
    )
    condition = models.CharField(_("condition"), max_length=200, blank=True)
    intervention = models.CharField(_("intervention"), max_length=255, blank=True)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, blank=True)
    enrollment = models.PositiveIntegerField(_("enrollment"), null=True, blank=True)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    institution_place = models.CharField(
        _("institution's place"),
        max_length=200,
        blank=True,
        help_text=_("Where the study ran, e.g. New York, NY, United States."),
    )
    lead_investigator = models.CharField(_("lead investigator"), max_length=200, blank=True)
    presented_at = models.CharField(
        _("presented at"), max_length=255, blank=True, help_text=_("Meeting or journal.")
    )
    presented_on = models.DateField(_("presented on"), null=True, blank=True)
    presented_place = models.CharField(_("presented in"), max_length=200, blank=True)

    # Optimistic locking: a form saved from an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    translation_states = GenericRelation(TranslationState)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = unique_per_language("slug", prefix="article")
        indexes = [models.Index(fields=["status", "-published_at"], name="article_published_idx")]
        permissions = [
            ("submit_article", _("Can submit articles for review")),
            ("publish_article", _("Can publish, schedule and unpublish articles")),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def topic_list(self) -> list[Topic]:
        """The topics, from :func:`articles.querysets.load_topics` when it ran."""
        topics = TOPIC_LIST.get(self)
        if topics is None:
            topics = TOPIC_LIST.set(self, list(self.topics.all()))
        return topics

    @functools.cached_property
    def reference_list(self) -> list["Reference"]:
        """The references, read once (the study and the JSON-LD both list them)."""
        return list(self.references.all())


class Reference(models.Model):
    """A study identifier or link cited by an article, validated by its kind."""

    class Kind(models.TextChoices):
        NCT = "nct", _("ClinicalTrials.gov (NCT)")
        DOI = "doi", _("DOI")
        PMID = "pmid", _("PubMed (PMID)")
        URL = "url", _("Web page")

    PATTERNS = {
        Kind.NCT: (r"NCT\d{8}", _("An NCT number is “NCT” followed by 8 digits.")),
        Kind.DOI: (r"10\.\d{4,9}/\S+", _("A DOI starts with “10.”, e.g. 10.1000/xyz123.")),
        Kind.PMID: (r"\d{1,9}", _("A PMID is a number of up to 9 digits.")),
    }

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="references", verbose_name=_("article")
    )
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    identifier = models.CharField(_("identifier"), max_length=200, blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("reference")
        verbose_name_plural = _("references")

    def __str__(self) -> str:
        return self.identifier or self.url

    def clean(self) -> None:
        if self.kind == self.Kind.URL:
            if not self.url:
                raise ValidationError({"url": _("A web page reference needs its URL.")})
            return
        pattern = self.PATTERNS.get(self.kind)
        if pattern is not None and not re.fullmatch(pattern[0], self.identifier or ""):
            raise ValidationError({"identifier": pattern[1]})


class SearchDocument(models.Model):
    """An article's text as served in one language, for PostgreSQL full-text search.

    Kept current by ``articles.search`` (with fallback and publishing applied,
    weighted title > summary > body, in the language's search configuration) and
    indexed with GIN, so a search does not read every article. Unused elsewhere.

    ``rank_vector`` is the title and summary part of ``vector``: small enough to
    stay in the row, so ranking thousands of matches does not read every
    matching body from out-of-line storage. ``published_at`` is the article's
    while it is published (empty otherwise): the second sort key of a search,
    and enough to tell a public match without reading its article.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="search_documents")
    language = models.CharField(max_length=15)
    vector = SearchVectorField(null=True)
    rank_vector = SearchVectorField(null=True)
    published_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "language"], name="searchdocument_article_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.article_id} [{self.language}]"
