"""Content translations as PO files: export for translators, validated all-or-nothing import.

``po`` is the format (entry keys ``app.model:pk:field``, entries, header,
reading), ``export`` writes a language's file, ``importing`` checks one and
applies it. Callers import from here; the names below are the public surface.
"""

from clinic.i18n.exchange.export import ONLY_CHOICES, select_models, translations_export
from clinic.i18n.exchange.importing import (
    ChangeKind,
    EntryChange,
    ImportFailed,
    ImportReport,
    translations_import,
)
from clinic.i18n.exchange.po import Problem, entry_context, plural_forms

__all__ = [
    "ONLY_CHOICES",
    "ChangeKind",
    "EntryChange",
    "ImportFailed",
    "ImportReport",
    "Problem",
    "entry_context",
    "plural_forms",
    "select_models",
    "translations_export",
    "translations_import",
]
