"""Static OpenAPI examples (written here, never read from the database)."""

from drf_spectacular.utils import OpenApiExample

TRANSLATION_CURRENT = {"fallback_fields": [], "stale_fields": []}

ARTICLE_LIST_AR = OpenApiExample(
    "Arabic list",
    summary="GET /api/v1/articles/?lang=ar",
    response_only=True,
    # One item: drf-spectacular wraps it in the paginated envelope of the list.
    value={
        "language": "ar",
        "dir": "rtl",
        "translation": TRANSLATION_CURRENT,
        "slug": "قد-يستفيد-مرضى-التصلب-المتعدد-المترقي-من-العلاج-بالخلايا-الجذعية",
        "url": "https://api.example.org/api/v1/articles/…/?lang=ar",
        "title": "قد يستفيد مرضى التصلب المتعدد المترقّي من العلاج بالخلايا الجذعية",
        "summary": "أظهرت تجربة سريرية من المرحلة 1 …",
        "topics": [
            {
                "language": "ar",
                "dir": "rtl",
                "translation": TRANSLATION_CURRENT,
                "slug": "التصلب-المتعدد",
                "name": "التصلب المتعدد",
                "page_url": "https://clinic.example/ar/topics/%D8%A7%D9%84…/",
                "page_alternates": {
                    "en": "https://clinic.example/en/topics/multiple-sclerosis/",
                    "ar": "https://clinic.example/ar/topics/%D8%A7%D9%84…/",
                    "x-default": "https://clinic.example/en/topics/multiple-sclerosis/",
                },
            }
        ],
        "published_at": "2016-04-22T09:00:00Z",
        "updated_at": "2026-11-25T10:00:00Z",
        "available_languages": ["en", "ar", "uk"],
        "alternates": {
            "en": "https://api.example.org/api/v1/articles/patients-with-…/?lang=en",
            "ar": "https://api.example.org/api/v1/articles/…/?lang=ar",
            "uk": "https://api.example.org/api/v1/articles/…/?lang=uk",
            "x-default": "https://api.example.org/api/v1/articles/patients-with-…/?lang=en",
        },
        # With PUBLIC_ARTICLE_URL="https://clinic.example/{lang}/news/{slug}/" (else null, {}).
        "page_url": "https://clinic.example/ar/news/%D9%82%D8%AF…/",
        "page_alternates": {
            "en": "https://clinic.example/en/news/patients-with-…/",
            "ar": "https://clinic.example/ar/news/%D9%82%D8%AF…/",
            "uk": "https://clinic.example/uk/news/%D0%BF%D0%B0…/",
            "x-default": "https://clinic.example/en/news/patients-with-…/",
        },
    },
)

CONTACTS_AR = OpenApiExample(
    "Arabic contacts",
    summary="GET /api/v1/contacts/?lang=ar",
    response_only=True,
    value={
        "language": "ar",
        "dir": "rtl",
        "translation": TRANSLATION_CURRENT,
        "e164": "+380930552240",
        "display": "+380 93 055 2240",
        "uri": "tel:+380930552240",
        "kind": "phone",
        "label": "خط باللغة العربية",
        "languages": ["ar"],
    },
)
