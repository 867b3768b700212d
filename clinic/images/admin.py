from django import forms
from django.contrib import admin
from django.core.files.storage import default_storage
from django.db import models
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from clinic.i18n.admin import TranslatedContentAdmin, TranslationStatusForm
from clinic.i18n.bidi import ltr
from clinic.i18n.registry import localized_columns
from clinic.images.models import Image
from clinic.images.services import image_renditions_refresh, image_store_upload
from clinic.images.uploads import image_from_upload
from clinic.revisions import RevisionAdmin


class ImageForm(TranslationStatusForm):
    """An image's text and focal point; on creation, the file (checked and cleaned)."""

    upload = forms.FileField(
        label=_("Image file"),
        required=False,
        help_text=_(
            "JPEG, PNG or WebP. Its name is not kept, nor its metadata (camera, GPS position)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if self.instance.pk:
            return None  # the file of an image is kept; upload a new image to replace it
        if not upload:
            raise forms.ValidationError(_("Choose the image file to upload."), code="required")
        return image_from_upload(upload)


@admin.register(Image)
class ImageAdmin(RevisionAdmin, TranslatedContentAdmin):
    form = ImageForm
    list_display = ["thumbnail", "__str__", "size", "decorative", "translation_overview"]
    list_filter = ["decorative"]
    search_fields = [*localized_columns("alt_text"), *localized_columns("caption")]
    readonly_fields = ["preview", "size", "address", "created_at", "updated_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    fieldsets = [
        (None, {"fields": ["preview", "size", "address", "alt_text", "decorative", "caption"]}),
        (_("Credit and licence"), {"fields": ["credit", "license_url"]}),
        (_("Focal point"), {"fields": ["focal_x", "focal_y"]}),
    ]
    # On creation (modeltranslation reads Django's UserAdmin convention): the file instead.
    add_fieldsets = [
        (None, {"fields": ["upload", "alt_text", "decorative", "caption"]}),
        *fieldsets[1:],
    ]

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            image_store_upload(image=obj, upload=form.cleaned_data["upload"])
        elif {"focal_x", "focal_y"} & set(form.changed_data):
            image_renditions_refresh(image=obj)
        super().save_model(request, obj, form, change)

    @admin.display(description=_("Image"))
    def thumbnail(self, image: Image) -> str:
        return _smallest_rendition(image, 'width="80" style="height:auto"')

    @admin.display(description=_("Preview"))
    def preview(self, image: Image) -> str:
        return _smallest_rendition(image, 'style="max-width:100%;height:auto"')

    @admin.display(description=_("Size"))
    def size(self, image: Image) -> str:
        return ltr(f"{image.width} × {image.height} px, {image.format}")

    @admin.display(description=_("Address for article bodies"))
    def address(self, image: Image) -> str:
        """What to give the body editor's image button: the library's copy of the image."""
        if not image.original:
            return "—"
        return format_html("<code>{}</code>", ltr(default_storage.url(image.original.name)))


def _smallest_rendition(image: Image, attributes: str) -> str:
    """The image's smallest WebP rendition as an ``<img>`` with ``attributes`` (a constant)."""
    own = [r for r in image.renditions if not r["ratio"] and r["type"] == "image/webp"]
    smallest = min(own, key=lambda rendition: rendition["width"], default=None)
    if smallest is None:
        return "—"
    return format_html(
        '<img src="{}" alt="" {}>', default_storage.url(smallest["name"]), mark_safe(attributes)
    )
