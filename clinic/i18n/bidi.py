"""Direction isolation: code-like values read left to right on right-to-left pages.

Phone numbers, E.164 numbers, URLs, study identifiers (NCT, DOI, PMID), slugs,
keys and language codes are written left to right in every language. Put
unisolated into an Arabic line, the Unicode bidirectional algorithm reorders
them: "+380 68 889 8989" shows as "8989 889 68 380+", and a number next to a
slug or a name merges with it. So, everywhere in the admin:

- **on display**, :func:`ltr` wraps a code-like value in ``<bdi dir="ltr">``
  (HTML's isolating element: laid out on its own, left to right, without
  reordering its neighbours); :func:`isolate` wraps text of either direction
  (an object's name in a heading, a breadcrumb or a matrix cell) in ``<bdi>``,
  whose direction is the text's own, and left to right for text without a
  letter to take it from (a phone number);
- **in templates**, the same two as filters: ``{% load bidi %}``,
  ``{{ value|ltr }}``, ``{{ object|isolate }}``; in plain text, where no element can
  isolate (the page's ``<title>``), :func:`isolate_text` brackets the text with
  Unicode's isolate controls instead (``{{ object|isolate_text }}``);
- **in forms**, :class:`LeftToRightFieldsMixin` gives the inputs of code-like
  fields ``dir="ltr"``; read-only, the same fields are isolated by the admin's
  stylesheet (``clinic/static/clinic/admin.css``, ``.field-<name> .readonly``).
"""

import unicodedata
from collections.abc import Sequence

from django.db import models
from django.utils.html import format_html
from django.utils.safestring import SafeString

#: Unicode bidirectional classes of letters: left-to-right, right-to-left, Arabic.
STRONG_CLASSES = frozenset({"L", "R", "AL"})

#: Model fields whose values are code-like by their type.
LEFT_TO_RIGHT_FIELD_TYPES = (models.URLField, models.SlugField, models.EmailField)


def has_letters(text: str) -> bool:
    """Whether ``text`` has a character that gives it a direction (a letter of any script)."""
    return any(unicodedata.bidirectional(character) in STRONG_CLASSES for character in text)


def ltr(value: object) -> SafeString:
    """``value`` (escaped) isolated and left to right: a phone number, URL, identifier, code."""
    return format_html('<bdi dir="ltr">{}</bdi>', value)


def isolate(value: object) -> SafeString:
    """``value`` (escaped) isolated in its own direction; left to right without letters."""
    if has_letters(str(value)):
        return format_html("<bdi>{}</bdi>", value)
    return ltr(value)


#: Unicode's first-strong isolate and pop directional isolate: ``<bdi>`` for plain text.
FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE = "\u2068", "\u2069"
LEFT_TO_RIGHT_ISOLATE = "\u2066"


def isolate_text(value: object) -> str:
    """``value`` isolated in plain text, as :func:`isolate` does in HTML: its own direction,
    left to right without letters (for the page title: a phone number in an Arabic tab)."""
    text = str(value)
    opening = FIRST_STRONG_ISOLATE if has_letters(text) else LEFT_TO_RIGHT_ISOLATE
    return f"{opening}{text}{POP_DIRECTIONAL_ISOLATE}"


def is_left_to_right_field(db_field: models.Field, names: Sequence[str] = ()) -> bool:
    """Whether the values of ``db_field`` are code-like: by its type, or named in ``names``."""
    return db_field.name in names or isinstance(db_field, LEFT_TO_RIGHT_FIELD_TYPES)


class LeftToRightFieldsMixin:
    """For a ``ModelAdmin`` or an inline: inputs of code-like fields are ``dir="ltr"``.

    Code-like fields are URL, slug and e-mail fields, and those named in
    ``ltr_fields`` (a phone number, a study identifier). Their read-only
    display is isolated by ``.field-<name> .readonly`` rules in the admin's
    stylesheet, which ``tests/test_admin_bidi.py`` checks for every name here.
    """

    #: Names of further fields whose values are code-like (e.g. ``["number"]``).
    ltr_fields: Sequence[str] = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and is_left_to_right_field(db_field, self.ltr_fields):
            formfield.widget.attrs["dir"] = "ltr"
        return formfield
