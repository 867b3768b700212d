"""Sanitising rich text: the one allow-list every HTML field goes through (nh3)."""

import re

import nh3

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "b", "i", "sub", "sup",
        "a", "blockquote", "table", "caption", "thead", "tbody", "tr", "th", "td",
        "figure", "figcaption", "img",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "img": {"src"},
}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


#: The address of a media-library image, as the admin shows it (``/media/images/<key>/...``,
#: on any host: the library's own addresses replace it when the body is served). The key
#: names the image; an image is served only if the library has that key.
LIBRARY_IMAGE = re.compile(
    r"^(?:https?://[A-Za-z0-9.:\[\]-]+)?/(?:[A-Za-z0-9._~-]+/)*images/"
    r"(?P<key>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/[A-Za-z0-9._-]+$"
)
#: An ``img`` left without a ``src`` by :func:`_library_images_only` (no other attribute
#: is kept on images, so no ``>`` can stand inside one).
_IMAGE_WITHOUT_SOURCE = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def _library_images_only(tag: str, attribute: str, value: str) -> str | None:
    """Keep an image's ``src`` only when it is a library image's address."""
    if tag == "img" and attribute == "src":
        return value if LIBRARY_IMAGE.match(value) else None
    return value


def sanitize_html(value: str) -> str:
    """``value`` with every tag, attribute and URL scheme outside the allow-list removed.

    Script and style elements are dropped with their content; links get
    ``rel="noopener noreferrer nofollow"``. Images are kept only when they come from
    the media library (:data:`LIBRARY_IMAGE`), with their address alone: their
    alternative text, caption and sizes are the library's, in the language served.
    """
    cleaned = nh3.clean(
        value or "",
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        clean_content_tags={"script", "style"},
        attribute_filter=_library_images_only,
    )
    return _IMAGE_WITHOUT_SOURCE.sub("", cleaned) if "<img" in cleaned else cleaned


def library_image_keys(html: str) -> list[str]:
    """The keys of the library images in sanitised ``html``, in order, each once."""
    if "<img" not in html:
        return []
    keys = (_key_of(src) for src in _IMAGE_SOURCE.findall(html))
    return list(dict.fromkeys(key for key in keys if key))


_IMAGE_SOURCE = re.compile(r'<img src="([^"]*)"')


def _key_of(src: str) -> str | None:
    match = LIBRARY_IMAGE.match(src.replace("&amp;", "&"))
    return match["key"] if match else None


# The admin's rich-text editor (django-prose-editor) offers exactly what the
# allow-list keeps, so editors never write markup that disappears on save.
EDITOR_CONFIG = {
    "extensions": {
        "Bold": True,
        "Italic": True,
        "Subscript": True,
        "Superscript": True,
        "Heading": {"levels": [2, 3, 4]},
        "BulletList": True,
        "OrderedList": True,
        "ListItem": True,
        "Blockquote": True,
        "HardBreak": True,
        # Images by the address of a library image (the admin shows it on each image).
        "Figure": True,
        "Caption": True,
        "Image": True,
        "Link": {"enableTarget": False, "protocols": sorted(ALLOWED_URL_SCHEMES)},
        "Table": True,
        "TableRow": True,
        "TableHeader": True,
        "TableCell": True,
        "HTML": True,
    }
}
