"""Factories for content. Translated fields are written per language (``title_en``)."""

from datetime import timedelta
from io import BytesIO

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PillowImage

from articles.models import Article, Reference, Topic
from clinic.i18n.models import TranslationState
from clinic.i18n.services import content_save
from clinic.images.models import Image
from clinic.images.services import image_create
from clinic.images.uploads import image_from_upload
from clinic.models import ContactLine, Disclaimer
from clinic.reviews.models import MedicalReview, Reviewer
from clinic.reviews.services import medical_review_record


class TranslatedContentFactory(factory.django.DjangoModelFactory):
    """Saves through the one write path, as the admin does: HTML sanitised, slugs derived."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        obj = model_class(*args, **kwargs)
        content_save(obj=obj)
        return obj


class TopicFactory(TranslatedContentFactory):
    class Meta:
        model = Topic

    name_en = factory.Sequence(lambda n: f"Topic {n}")


class DisclaimerFactory(TranslatedContentFactory):
    class Meta:
        model = Disclaimer

    key = factory.Sequence(lambda n: f"disclaimer-{n}")
    text_en = "Treatment results are individual for each clinical case."
    applies_to = Disclaimer.AppliesTo.ARTICLES


class ContactLineFactory(TranslatedContentFactory):
    class Meta:
        model = ContactLine

    number = factory.Sequence(lambda n: f"+38067{n:07d}")
    label_en = "Reception"
    languages = factory.LazyFunction(lambda: ["en"])


class ArticleFactory(TranslatedContentFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title_en = factory.Sequence(lambda n: f"Trial report number {n}")
    summary_en = "A phase 1 trial enrolled 20 patients."
    body_en = "<p>The phase 1 trial enrolled 20 patients.</p>"
    condition_en = "Multiple sclerosis"
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)


class ReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reference

    article = factory.SubFactory(ArticleFactory)
    kind = Reference.Kind.NCT
    identifier = "NCT01933802"
    url = "https://clinicaltrials.gov/study/NCT01933802"


def image_upload(
    width: int = 1200,
    height: int = 800,
    image_format: str = "JPEG",
    *,
    name: str = "photo.jpg",
    exif: bytes | None = None,
) -> SimpleUploadedFile:
    """An uploaded image made here: a gradient (so crops differ), optionally with EXIF."""
    pixels = PillowImage.linear_gradient("L").resize((width, height)).convert("RGB")
    out = BytesIO()
    options = {"exif": exif} if exif is not None else {}
    pixels.save(out, format=image_format, **options)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/octet-stream")


def make_image(*, alt_text_en: str = "A diagram of a nerve cell", upload=None, **fields) -> Image:
    """A library image saved as the admin saves one (file checked, renditions made)."""
    texts = {"alt_text_en": alt_text_en} if alt_text_en else {}
    translated = ("alt_text", "caption", "credit")
    texts.update(
        {name: fields.pop(name) for name in list(fields) if name.rsplit("_", 1)[0] in translated}
    )
    return image_create(upload=image_from_upload(upload or image_upload()), texts=texts, **fields)


def translate(obj, language: str, *, publish: bool = True, **texts: str):
    """Write ``texts`` (field → text) in ``language`` and record them as current translations."""
    for field, text in texts.items():
        setattr(obj, f"{field}_{language}", text)
    status = TranslationState.Status.PUBLISHED if publish else TranslationState.Status.DRAFT
    content_save(
        obj=obj,
        changed_fields=[f"{field}_{language}" for field in texts],
        statuses={language: status},
    )
    return obj


class ReviewerFactory(TranslatedContentFactory):
    class Meta:
        model = Reviewer

    name = factory.Sequence(lambda n: f"Dr Reviewer {n}")
    credentials_en = "MD, neurologist"


def reviewer_user(username: str = "reviewer", **reviewer_fields):
    """A staff user who may record reviews, signing as a new :class:`Reviewer`."""
    user = get_user_model().objects.create_user(username, password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="review_medical_content"))
    ReviewerFactory(user=user, **reviewer_fields)
    return get_user_model().objects.get(pk=user.pk)  # permissions cache reset


def record_review(obj, language: str = "en", *, by=None, on=None, note: str = "") -> MedicalReview:
    """Record a medical review of ``obj``'s current text in ``language`` (today by default)."""
    by = by or get_user_model().objects.filter(medical_reviewer__isnull=False).first()
    by = by or reviewer_user()
    return medical_review_record(
        obj=obj, language=language, reviewed_on=on or timezone.localdate(), by=by, note=note
    )


def staff(group: str):
    """A staff user in one of the staff groups ``migrate`` creates ("Editors", ...)."""
    user = get_user_model().objects.create_user(f"user-{group}", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user
