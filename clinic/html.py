"""Sanitising rich text: the one allow-list every HTML field goes through (nh3)."""

import nh3

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "b", "i", "sub", "sup",
        "a", "blockquote", "table", "caption", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


def sanitize_html(value: str) -> str:
    """``value`` with every tag, attribute and URL scheme outside the allow-list removed.

    Script and style elements are dropped with their content; links get
    ``rel="noopener noreferrer nofollow"``.
    """
    return nh3.clean(
        value or "",
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        clean_content_tags={"script", "style"},
    )


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
        "Link": {"enableTarget": False, "protocols": sorted(ALLOWED_URL_SCHEMES)},
        "Table": True,
        "TableRow": True,
        "TableHeader": True,
        "TableCell": True,
        "HTML": True,
    }
}
