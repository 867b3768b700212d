"""The file formats of the exchange: PO (gettext tools) and XLIFF 1.2 (CAT tools).

Both carry the same entries (``po``): an export is built as PO entries and
written in either format; an import reads either format into PO entries and
checks them in one place (``importing``), so both formats get the same checks.
"""

import polib

from clinic.i18n.exchange.po import Problem, read_po
from clinic.i18n.exchange.xliff import po_to_xliff, read_xliff

PO = "po"
XLIFF = "xliff"
FORMATS = (PO, XLIFF)
EXTENSIONS = {PO: "po", XLIFF: "xlf"}
CONTENT_TYPES = {PO: "text/x-gettext-translation; charset=utf-8", XLIFF: "application/xliff+xml"}


def detect_format(raw: bytes) -> str:
    """XLIFF if the content starts like XML (after a byte-order mark and blanks), else PO."""
    return XLIFF if raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") else PO


def write_translations(po: polib.POFile, file_format: str) -> bytes:
    """The exported entries of ``po`` as a file of ``file_format``."""
    if file_format == XLIFF:
        return po_to_xliff(po)
    return (str(po) + "\n").encode("utf-8")


def read_translations(
    raw: bytes, file_format: str | None, errors: list[Problem]
) -> polib.POFile | None:
    """The entries of a file (its format detected when not given); None, with ``errors``, if bad."""
    if (file_format or detect_format(raw)) == XLIFF:
        return read_xliff(raw, errors)
    return read_po(raw, errors)
