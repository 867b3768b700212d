"""Tokens a translation must keep from its source: numbers, phone numbers, URLs,
e-mail addresses and study identifiers (NCT, DOI, PMID).

Checked when a translation is imported (and when it is published). Digits are
compared after mapping Arabic-Indic (٠١٢…) and Eastern Arabic-Indic (۰۱۲…) digits
to ASCII, and numbers as their runs of digits, so ``3.5`` and ``3,5`` (a
Ukrainian decimal comma) or ``٣٫٥`` are the same number.
"""

import re
from collections import Counter
from dataclasses import dataclass

import phonenumbers
from django.conf import settings
from django.utils.translation import gettext_lazy as _

DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
IDENTIFIERS = re.compile(
    r"\bNCT\d{8}\b|\b10\.\d{4,9}/[^\s<>\"']+|\bPMID:?\s*\d{1,9}\b", re.IGNORECASE
)
TAG = re.compile(r"<[^>]+>")
HREF = re.compile(r"""href\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
DIGIT_RUN = re.compile(r"\d+")
TRAILING_PUNCTUATION = ".,;:!?)»"

KIND_LABELS = {
    "url": _("URL"),
    "email": _("e-mail address"),
    "identifier": _("study identifier"),
    "phone": _("phone number"),
    "number": _("number"),
}


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


def tokens(text: str) -> dict[str, Counter]:
    """The invariant tokens of ``text`` (plain text or HTML), by kind."""
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
    return {
        "url": Counter(urls),
        "email": Counter(emails),
        "identifier": Counter(identifiers),
        "phone": Counter(phones),
        "number": Counter(DIGIT_RUN.findall(text)),
    }


def compare(source: str, translation: str) -> list[Mismatch]:
    """How ``translation`` differs from ``source`` in invariant tokens (empty: it keeps them)."""
    expected, found = tokens(source), tokens(translation)
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
