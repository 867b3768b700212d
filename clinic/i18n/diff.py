"""Show translators what changed in the source since they translated it."""

import difflib
import re

from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.safestring import SafeString

WORDS = re.compile(r"\s+|[^\s]+")


def source_diff_html(old: str, new: str) -> SafeString:
    """A word-level diff of two source texts: removed words in ``<del>``, added in ``<ins>``.

    HTML is compared as text (tags stripped); everything is escaped.
    """
    before = WORDS.findall(strip_tags(old or ""))
    after = WORDS.findall(strip_tags(new or ""))
    parts = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for operation, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        removed = "".join(before[a_start:a_end])
        added = "".join(after[b_start:b_end])
        if operation == "equal":
            parts.append(("{}", removed))
        if operation in ("delete", "replace"):
            parts.append(("<del>{}</del>", removed))
        if operation in ("insert", "replace"):
            parts.append(("<ins>{}</ins>", added))
    return format_html_join("", "{}", ((format_html(template, text),) for template, text in parts))
