"""Tokens a translation must keep from its source: numbers, phone numbers, URLs,
e-mail addresses and study identifiers (NCT, DOI, PMID).

Checked when a translation is imported (and when it is published). Digits are
compared after mapping Arabic-Indic (٠١٢…) and Eastern Arabic-Indic (۰۱۲…) digits
to ASCII, and numbers by value, each text read in its own language's convention
(:data:`NUMBER_FORMATS`): the English ``3.5-8.5`` is the Ukrainian ``3,5–8,5`` and
the Arabic ``3.5-8.5`` or ``٣٫٥-٨٫٥``, while ``3.8-5.5`` is a different range. A dash
between numbers is never a sign, so a range may use a hyphen or an en dash (the
Arabic texts keep the hyphen: an en dash displays reversed in a right-to-left run).
"""

import re
from collections import Counter
from dataclasses import dataclass

import phonenumbers
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from clinic.i18n.languages import source_language

DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
IDENTIFIERS = re.compile(
    r"\bNCT\d{8}\b|\b10\.\d{4,9}/[^\s<>\"']+|\bPMID:?\s*\d{1,9}\b", re.IGNORECASE
)
TAG = re.compile(r"<[^>]+>")
HREF = re.compile(r"""href\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
DIGIT_RUN = re.compile(r"\d+")
# Digits joined by marks that may be a decimal or thousands separator: read as one
# number, or as several, by the language's convention.
NUMBER_RUN = re.compile(r"\d+(?:[.,\u0020\u00a0\u202f]\d+)*")
NUMBER_MARK = re.compile(r"[.,\u0020\u00a0\u202f]")
TRAILING_PUNCTUATION = ".,;:!?)»"

KIND_LABELS = {
    "url": _("URL"),
    "email": _("e-mail address"),
    "identifier": _("study identifier"),
    "phone": _("phone number"),
    "number": _("number"),
}


@dataclass(frozen=True)
class NumberFormat:
    """The marks a language writes in numbers (``٫`` and ``٬`` are read as ``.`` and ``,``)."""

    decimal: str
    thousands: str


ENGLISH_NUMBERS = NumberFormat(decimal=".", thousands=",")
#: Languages that do not write numbers as English does. A Ukrainian decimal point is
#: read as one too: it is not a Ukrainian thousands separator, so never ambiguous.
NUMBER_FORMATS = {
    "uk": NumberFormat(decimal=",.", thousands="\u0020\u00a0\u202f"),
}


def number_format(language: str | None) -> NumberFormat:
    return NUMBER_FORMATS.get(language or source_language(), ENGLISH_NUMBERS)


@dataclass(frozen=True)
class Mismatch:
    """Tokens of one kind that differ between a source and its translation."""

    kind: str
    missing: tuple[str, ...]
    unexpected: tuple[str, ...]

    def __str__(self) -> str:
        parts = []
        if self.missing:
            parts.append(
                str(_("missing %(kind)s: %(tokens)s"))
                % {"kind": KIND_LABELS[self.kind], "tokens": ", ".join(self.missing)}
            )
        if self.unexpected:
            parts.append(
                str(_("%(kind)s not in the source: %(tokens)s"))
                % {"kind": KIND_LABELS[self.kind], "tokens": ", ".join(self.unexpected)}
            )
        return "; ".join(parts)


def _take(pattern: re.Pattern, text: str, normalise=lambda token: token) -> tuple[list, str]:
    tokens = [
        normalise(match.group(0).rstrip(TRAILING_PUNCTUATION)) for match in pattern.finditer(text)
    ]
    return tokens, pattern.sub(" ", text)


def _number_values(run: str, numbers: NumberFormat) -> list[str]:
    """The numbers in ``run`` (digits joined by marks), ``1234.5`` for ``1,234.5`` in English.

    Thousands groups (three digits each) join the whole part; one decimal mark ends
    it. Anything else (a date ``20.04.2016``, a list ``1,2,3``) is its runs of digits.
    """
    digits, marks = DIGIT_RUN.findall(run), NUMBER_MARK.findall(run)
    value, index = digits[0], 0
    while (
        index < len(marks)
        and marks[index] in numbers.thousands
        and len(digits[0]) <= 3
        and len(digits[index + 1]) == 3
    ):
        value += digits[index + 1]
        index += 1
    if index < len(marks) and marks[index] in numbers.decimal:
        value += "." + digits[index + 1]
        index += 1
    return [value] if index == len(marks) else digits


def tokens(text: str, language: str | None = None) -> dict[str, Counter]:
    """The invariant tokens of ``text`` (plain text or HTML) in ``language``, by kind.

    ``language`` decides how numbers are read (:func:`number_format`); by default,
    as the source language writes them.
    """
    text = (text or "").translate(DIGITS).replace("٫", ".").replace("٬", ",")
    hrefs = HREF.findall(text)
    text = TAG.sub(" ", text) + " " + " ".join(hrefs)
    urls, text = _take(URL, text, lambda url: url.lower().removeprefix("mailto:"))
    emails, text = _take(EMAIL, text, str.lower)
    identifiers, text = _take(
        IDENTIFIERS, text, lambda token: re.sub(r"^PMID:?\s*", "PMID:", token.upper())
    )
    phones = []
    for match in phonenumbers.PhoneNumberMatcher(text, settings.PHONE_DEFAULT_REGION):
        phones.append(phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164))
        text = text.replace(match.raw_string, " ")
    numbers = number_format(language)
    return {
        "url": Counter(urls),
        "email": Counter(emails),
        "identifier": Counter(identifiers),
        "phone": Counter(phones),
        "number": Counter(
            value for run in NUMBER_RUN.findall(text) for value in _number_values(run, numbers)
        ),
    }


def compare(source: str, translation: str, language: str | None = None) -> list[Mismatch]:
    """How ``translation`` (into ``language``) differs from ``source`` in invariant tokens.

    Empty: it keeps them. Without ``language`` the translation's numbers are read
    as the source language writes them.
    """
    expected, found = tokens(source), tokens(translation, language)
    mismatches = []
    for kind in KIND_LABELS:
        missing = expected[kind] - found[kind]
        unexpected = found[kind] - expected[kind]
        if missing or unexpected:
            mismatches.append(
                Mismatch(
                    kind=kind,
                    missing=tuple(sorted(missing.elements())),
                    unexpected=tuple(sorted(unexpected.elements())),
                )
            )
    return mismatches
