"""Content translations as PO or XLIFF files: export for translators, all-or-nothing import.

``po`` is the format (entry keys ``app.model:pk:field``, entries, header,
reading), ``xliff`` the same entries for CAT tools, ``formats`` chooses between
them, ``export`` writes a language's file, ``importing`` checks one and
applies it. Callers import from here; the names below are the public surface.
"""

from clinic.i18n.exchange.export import ONLY_CHOICES, select_models, translations_export
from clinic.i18n.exchange.formats import (
    CONTENT_TYPES,
    EXTENSIONS,
    FORMATS,
    detect_format,
    write_translations,
)
from clinic.i18n.exchange.importing import (
    ChangeKind,
    EntryChange,
    ImportFailed,
    ImportReport,
    translations_import,
    translations_import_data,
)
from clinic.i18n.exchange.po import Problem, entry_context, plural_forms

__all__ = [
    "CONTENT_TYPES",
    "EXTENSIONS",
    "FORMATS",
    "ONLY_CHOICES",
    "ChangeKind",
    "EntryChange",
    "ImportFailed",
    "ImportReport",
    "Problem",
    "detect_format",
    "entry_context",
    "plural_forms",
    "select_models",
    "translations_export",
    "translations_import",
    "translations_import_data",
    "write_translations",
]
