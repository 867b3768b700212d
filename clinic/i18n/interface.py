"""Interface strings that frontends render, served by ``/api/v1/i18n/catalog/``.

They live in the same ``locale/`` catalogs as every other string, so translators
find them in their PO files with the context that says where they appear.
"""

from django.utils.translation import npgettext_lazy, pgettext_lazy

FRONTEND_STRINGS = [
    pgettext_lazy("call to action", "Contact us"),
    pgettext_lazy("heading", "Research news"),
    pgettext_lazy("heading", "Medical disclaimer"),
    pgettext_lazy("heading", "About the study"),
    pgettext_lazy("study", "Condition"),
    pgettext_lazy("study", "Intervention"),
    pgettext_lazy("study", "Phase"),
    pgettext_lazy("study", "Enrollment"),
    pgettext_lazy("study", "Institution"),
    pgettext_lazy("study", "Lead investigator"),
    pgettext_lazy("study", "Presented at"),
    pgettext_lazy("article", "Published"),
    pgettext_lazy("article", "Medically reviewed by"),
    pgettext_lazy("article", "Last reviewed"),
    pgettext_lazy("article", "Read more"),
    pgettext_lazy("contact", "Languages spoken"),
    pgettext_lazy("language notice", "This text is not yet available in your language."),
    npgettext_lazy("study", "%(count)s patient", "%(count)s patients", "count"),
    npgettext_lazy("list", "%(count)s article", "%(count)s articles", "count"),
    npgettext_lazy("article", "%(count)s minute read", "%(count)s minute read", "count"),
]
