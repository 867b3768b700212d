"""XLIFF 1.2, the format of professional CAT tools (Trados, memoQ, Phrase), over the PO entries.

An XLIFF file carries the same entries as the PO file of the same export, so
that one import checks both: each ``trans-unit`` is one field, its ``id`` and
``resname`` are the entry's key (``articles.article:12:title``, the PO
``msgctxt``), ``source`` the current English, ``target`` the translation, the
``note``\\s the PO comments. The ``state`` of a target says what the PO flags
say: ``new`` (not translated yet), ``translated`` (current) and
``needs-review-translation`` (stale: the English changed; the English it was
translated from is an ``alt-trans`` of origin ``previous``, as translate-toolkit's
po2xliff writes it).

Reading turns units back into PO entries: a target whose state is ``new`` or
``needs-…`` is not ready and counts as fuzzy (skipped); a target without a
state is translated, like a PO entry without flags; an empty one is empty. XML is read
and written by translate-toolkit. XLIFF needs no DTD: a file that declares one
(where entities could multiply its text) is refused before it is read.
"""

import polib
from django.utils.translation import gettext as _
from lxml import etree
from translate.storage import xliff

from clinic.i18n.exchange.po import PROJECT_ID, Problem
from clinic.i18n.languages import source_language

NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"
# Target states that say the translation is not ready to be used (XLIFF 1.2, "state").
NOT_READY = frozenset(
    {
        "new",
        "needs-translation",
        "needs-adaptation",
        "needs-l10n",
        "needs-review-translation",
        "needs-review-adaptation",
        "needs-review-l10n",
    }
)
PREVIOUS = "previous"  # the alt-trans origin of the source a stale translation was made from


class _Unit(xliff.Xliff1Unit):
    namespace = NAMESPACE


class _File(xliff.xlifffile):
    """translate-toolkit's XLIFF file, written as version 1.2 with the project as its original."""

    UnitClass = _Unit
    XMLskeleton = xliff.xlifffile.XMLskeleton.replace("1.1", "1.2").replace("NoName", PROJECT_ID)
    namespace = NAMESPACE


def _state(entry: polib.POEntry) -> str:
    if not entry.msgstr:
        return "new"
    return "needs-review-translation" if entry.fuzzy else "translated"


def po_to_xliff(po: polib.POFile) -> bytes:
    """The XLIFF 1.2 document of the entries of ``po`` (an export of one language)."""
    store = _File(sourcelanguage=po.metadata["X-Source-Language"])
    store.settargetlanguage(po.metadata["Language"])
    for entry in po:
        unit = store.addsourceunit(entry.msgid, filename=PROJECT_ID)
        unit.setid(entry.msgctxt)
        unit.xmlelement.set("resname", entry.msgctxt)
        unit.target = entry.msgstr
        unit.set_state_n(_Unit.statemap[_state(entry)])
        if entry.comment:
            unit.addnote(entry.comment, origin="developer")
        if entry.previous_msgid:
            unit.addalttrans(entry.msgstr, origin=PREVIOUS, sourcetxt=entry.previous_msgid)
    return bytes(store)


def _key(unit: xliff.Xliff1Unit) -> str:
    """The entry key of a unit: its ``resname``, or its ``id`` if a tool dropped the resname."""
    return unit.xmlelement.get("resname") or unit.xmlelement.get("id") or ""


def _target_state(unit: xliff.Xliff1Unit) -> str | None:
    target = unit.getlanguageNode(lang=None, index=1)
    return target.get("state") if target is not None else None


def _declares_doctype(raw: bytes) -> bool:
    """Whether the document has a DOCTYPE (read without loading it or expanding entities)."""
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError:
        return False  # reported by the reading itself
    return bool(root.getroottree().docinfo.doctype)


def read_xliff(raw: bytes, errors: list[Problem]) -> polib.POFile | None:
    """The units of the XLIFF 1.2 file in ``raw`` as PO entries; None, with ``errors``, if invalid.

    The target language becomes the PO ``Language`` (checked by the import like a
    PO header); every ``file`` must name the same one, and English as the source.
    """
    if _declares_doctype(raw):
        message = _("a DOCTYPE (DTD or entities) is not accepted in an XLIFF file")
        errors.append(Problem(None, "", message))
        return None
    try:
        store = xliff.xlifffile.parsestring(raw)
    except etree.XMLSyntaxError as exc:
        message = _("XML syntax error: %(error)s") % {"error": exc.msg}
        errors.append(Problem(exc.lineno, "", message))
        return None
    except (ValueError, AssertionError, StopIteration) as exc:
        errors.append(
            Problem(None, "", _("not an XLIFF 1.2 file: %(error)s") % {"error": exc or "?"})
        )
        return None
    root = store.document.getroot()
    if etree.QName(root).localname != "xliff":
        errors.append(Problem(None, "", _("not an XLIFF file: the root element is not <xliff>")))
        return None
    files = list(root.iterchildren(store.namespaced("file")))
    targets = {node.get("target-language", "") for node in files}
    sources = {node.get("source-language", "") for node in files}
    if len(targets) != 1:
        errors.append(
            Problem(
                None,
                "",
                _("every <file> must have the same target-language; found: %(languages)s")
                % {"languages": ", ".join(sorted(targets)) or "—"},
            )
        )
        return None
    if sources != {source_language()}:
        errors.append(
            Problem(
                None,
                "",
                _("the source-language must be “%(expected)s”; found: %(languages)s")
                % {"expected": source_language(), "languages": ", ".join(sorted(sources))},
            )
        )
        return None
    po = polib.POFile()
    po.metadata = {"Language": targets.pop()}
    for unit in store.unit_iter():
        entry = polib.POEntry(
            msgctxt=_key(unit),
            msgid=str(unit.source or ""),
            msgstr=str(unit.target or ""),
            linenum=unit.xmlelement.sourceline,
        )
        if entry.msgstr and _target_state(unit) in NOT_READY:
            entry.flags.append("fuzzy")
        po.append(entry)
    return po
