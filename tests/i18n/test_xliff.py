"""XLIFF 1.2 for CAT tools, and PO files that went through translate-toolkit's converters.

The XLIFF export carries the PO export's entries (keys, notes, previous source,
states) and its import runs the PO import's checks; po2xliff/xliff2po drop
``msgctxt``, and the import finds the field again from the ``#. Key:`` comment.
"""

import io

import polib
import pytest
from django.core.management import CommandError, call_command
from translate.convert import po2xliff, xliff2po
from translate.storage import xliff

from articles.models import Article, Topic
from clinic.i18n.exchange import ImportFailed, translations_import
from clinic.i18n.models import TranslationState
from clinic.i18n.state import FieldStatus, field_statuses
from clinic.models import ContactLine, Disclaimer
from tests.factories import TopicFactory

pytestmark = pytest.mark.django_db

XLIFF_12 = "urn:oasis:names:tc:xliff:document:1.2"
NEW_TITLE = "قد يستفيد مرضى التصلب المتعدد التقدمي من العلاج بالخلايا الجذعية"
OLD_SUMMARY_SOURCE = "A phase 1 trial of 20 patients, first wording."


def export_file(tmp_path, *args, language="ar", file_format="xliff"):
    suffix = "xlf" if file_format == "xliff" else "po"
    path = tmp_path / f"{language}.{suffix}"
    call_command(
        "export_translations",
        language,
        "--format",
        file_format,
        "-o",
        str(path),
        *args,
        stderr=io.StringIO(),
    )
    return path


def import_(path, *args) -> str:
    out = io.StringIO()
    call_command("import_translations", str(path), *args, stdout=out)
    return out.getvalue()


def units(path) -> dict[str, xliff.Xliff1Unit]:
    store = xliff.xlifffile.parsefile(str(path))
    return {unit.xmlelement.get("id"): unit for unit in store.unit_iter()}


def state_of(unit) -> str | None:
    return unit.getlanguageNode(lang=None, index=1).get("state")


def snapshot() -> list:
    rows = []
    for model in (Article, Topic, ContactLine, Disclaimer, TranslationState):
        rows += [
            repr(sorted(row.items(), key=str)) for row in model.objects.order_by("pk").values()
        ]
    return rows


def key(obj, field: str) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}:{field}"


@pytest.fixture
def stale_summary(demo_content):
    """The article's Arabic summary, made stale: the English changed after it was translated."""
    article = Article.objects.get()
    state = TranslationState.objects.get(
        object_id=article.pk, language="ar", content_type__model="article"
    )
    state.sources["summary"] = OLD_SUMMARY_SOURCE
    state.save()
    assert field_statuses(article, "ar")["summary"] == FieldStatus.STALE
    return article


@pytest.fixture
def untranslated_topic(demo_content):
    return TopicFactory(name_en="Clinical trials")


# Export


def test_xliff_export_is_version_1_2_from_english_into_the_language(demo_content, tmp_path):
    store = xliff.xlifffile.parsefile(str(export_file(tmp_path)))
    root = store.document.getroot()
    assert (root.get("version"), root.nsmap[None]) == ("1.2", XLIFF_12)
    assert (store.getsourcelanguage(), store.gettargetlanguage()) == ("en", "ar")


def test_xliff_units_are_the_po_entries(demo_content, tmp_path):
    po = polib.pofile(str(export_file(tmp_path, file_format="po")))
    by_key = units(export_file(tmp_path))
    assert list(by_key) == [entry.msgctxt for entry in po]
    for entry in po:
        unit = by_key[entry.msgctxt]
        assert unit.xmlelement.get("resname") == entry.msgctxt
        assert (unit.source, unit.target) == (entry.msgid, entry.msgstr)
        assert unit.getnotes("developer") == entry.comment


def test_xliff_states_say_new_translated_and_stale(stale_summary, untranslated_topic, tmp_path):
    by_key = units(export_file(tmp_path))
    assert state_of(by_key[key(stale_summary, "title")]) == "translated"
    assert state_of(by_key[key(untranslated_topic, "name")]) == "new"
    assert by_key[key(untranslated_topic, "name")].target == ""
    stale = by_key[key(stale_summary, "summary")]
    assert state_of(stale) == "needs-review-translation"
    [previous] = stale.getalttrans(origin="previous")
    assert previous.source == OLD_SUMMARY_SOURCE
    assert previous.target == stale.target


def test_xliff_export_of_stale_entries_only(stale_summary, tmp_path):
    assert list(units(export_file(tmp_path, "--only", "stale"))) == [key(stale_summary, "summary")]


# Import: what a CAT tool sends back


def test_cat_edit_of_an_xliff_export_is_imported(stale_summary, untranslated_topic, tmp_path):
    path = export_file(tmp_path)
    store = xliff.xlifffile.parsefile(str(path))
    by_key = {unit.xmlelement.get("id"): unit for unit in store.unit_iter()}
    title = by_key[key(stale_summary, "title")]
    title.target = NEW_TITLE
    title.set_state_n(title.statemap["translated"])
    summary = by_key[key(stale_summary, "summary")]  # reviewed: the translation still holds
    summary.set_state_n(summary.statemap["signed-off"])
    topic = by_key[key(untranslated_topic, "name")]
    topic.target = "التجارب السريرية"
    topic.set_state_n(topic.statemap["translated"])
    path.write_bytes(bytes(store))

    output = import_(path)

    article = Article.objects.get()
    untranslated_topic.refresh_from_db()
    assert article.title_ar == NEW_TITLE
    assert untranslated_topic.name_ar == "التجارب السريرية"
    assert field_statuses(article, "ar")["summary"] == FieldStatus.CURRENT
    assert "3 updated" in output
    state = TranslationState.objects.get(
        object_id=article.pk, language="ar", content_type__model="article"
    )
    assert (state.origin, state.origin_detail) == (TranslationState.Origin.IMPORT, "ar.xlf")


def test_xliff_target_still_needing_review_is_skipped(stale_summary, tmp_path):
    path = export_file(tmp_path)
    store = xliff.xlifffile.parsefile(str(path))
    stale = next(
        u for u in store.unit_iter() if u.xmlelement.get("id") == key(stale_summary, "summary")
    )
    stale.target = stale.target + " "  # edited, but still marked as needing review
    stale.set_state_n(stale.statemap["needs-review-translation"])
    path.write_bytes(bytes(store))
    before = snapshot()
    report = translations_import(path=path)
    assert (report.fuzzy_skipped, report.updated) == (1, [])
    assert snapshot() == before


def test_unedited_xliff_export_changes_nothing(stale_summary, untranslated_topic, tmp_path):
    before = snapshot()
    report = translations_import(path=export_file(tmp_path))
    assert report.updated == []
    assert (report.fuzzy_skipped, report.empty_skipped) == (1, 1)
    assert snapshot() == before


def test_xliff_with_a_wrong_number_is_refused_whole_with_its_line(demo_content, tmp_path):
    path = export_file(tmp_path)
    store = xliff.xlifffile.parsefile(str(path))
    article = Article.objects.get()
    by_key = {unit.xmlelement.get("id"): unit for unit in store.unit_iter()}
    by_key[key(article, "title")].target = NEW_TITLE  # fine on its own
    summary = by_key[key(article, "summary")]
    summary.target = summary.target.replace("20", "25")
    path.write_bytes(bytes(store))
    line = xliff.xlifffile.parsefile(str(path))  # lines of the file as written
    expected_line = next(
        u.xmlelement.sourceline
        for u in line.unit_iter()
        if u.xmlelement.get("id") == key(article, "summary")
    )
    before = snapshot()
    with pytest.raises(CommandError, match="nothing was imported") as failed:
        import_(path)
    assert f"line {expected_line}: {key(article, 'summary')}: missing number: 20" in str(
        failed.value
    )
    assert snapshot() == before


def test_xliff_html_is_sanitised_and_reported(demo_content, tmp_path):
    path = export_file(tmp_path)
    store = xliff.xlifffile.parsefile(str(path))
    article = Article.objects.get()
    body = next(u for u in store.unit_iter() if u.xmlelement.get("id") == key(article, "body"))
    body.target = body.target + '<script>alert("x")</script>'
    path.write_bytes(bytes(store))
    report = translations_import(path=path)
    assert [problem.context for problem in report.sanitised] == [key(article, "body")]
    article.refresh_from_db()
    assert "<script>" not in article.body_ar


def test_xliff_conflict_when_the_english_changed_since_the_export(demo_content, tmp_path):
    path = export_file(tmp_path)
    store = xliff.xlifffile.parsefile(str(path))
    article = Article.objects.get()
    title = next(u for u in store.unit_iter() if u.xmlelement.get("id") == key(article, "title"))
    title.target = NEW_TITLE
    path.write_bytes(bytes(store))
    article.title_en = "A new English title"
    article.save()
    report = translations_import(path=path)
    assert [problem.context for problem in report.conflicts] == [key(article, "title")]
    assert report.updated == []


def test_format_is_detected_from_the_content(demo_content, tmp_path):
    xlf = export_file(tmp_path)
    renamed = tmp_path / "ar-from-the-cat-tool.txt"
    renamed.write_bytes(xlf.read_bytes())
    assert "17 unchanged" in import_(renamed, "--dry-run")
    with pytest.raises(CommandError, match="PO syntax error"):
        import_(renamed, "--format", "po")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<xliff version='1.2'><file", "XML syntax error"),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            b'<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
            b'<file original="x" source-language="en" target-language="ar" datatype="plaintext">'
            b'<body><trans-unit id="u"><source>&b;</source></trans-unit></body></file></xliff>',
            "a DOCTYPE (DTD or entities) is not accepted",
        ),
        (
            b'<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="en" '
            b'trgLang="ar"><file id="f"></file></xliff>',
            "not an XLIFF 1.2 file",
        ),
        (
            b'<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
            b'<file original="x" source-language="fr" target-language="ar" datatype="plaintext">'
            b"<body/></file></xliff>",
            "the source-language must be “en”",
        ),
        (
            b'<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
            b'<file original="x" source-language="en" target-language="de" datatype="plaintext">'
            b"<body/></file></xliff>",
            "language “de” is not a target language",
        ),
    ],
    ids=["truncated", "entities", "xliff-2", "source-language", "target-language"],
)
def test_bad_xliff_is_refused_with_a_reason(demo_content, tmp_path, content, message):
    path = tmp_path / "bad.xlf"
    path.write_bytes(content)
    before = snapshot()
    with pytest.raises(ImportFailed) as failed:
        translations_import(path=path)
    assert failed.value.report.errors
    assert message in str(failed.value.report.errors[0])
    assert "aaaa" not in str(failed.value.report.errors)
    assert snapshot() == before


# PO → XLIFF → PO with translate-toolkit's converters


def _po2xliff(po_path, xliff_path) -> None:
    with po_path.open("rb") as source, xliff_path.open("wb") as target:
        assert po2xliff.convertpo(source, target, None)


def _xliff2po(xliff_path, po_path) -> None:
    with xliff_path.open("rb") as source, po_path.open("wb") as target:
        assert xliff2po.convertxliff(source, target, None)


def test_po_through_po2xliff_and_xliff2po_loses_msgctxt_and_still_imports(demo_content, tmp_path):
    exported = export_file(tmp_path, file_format="po")
    converted = tmp_path / "converted.xlf"
    _po2xliff(exported, converted)
    store = xliff.xlifffile.parsefile(str(converted))
    article = Article.objects.get()
    title = next(u for u in store.unit_iter() if key(article, "title") in u.getnotes())
    title.target = NEW_TITLE
    converted.write_bytes(bytes(store))
    back = tmp_path / "back.po"
    _xliff2po(converted, back)
    assert not any(entry.msgctxt for entry in polib.pofile(str(back)))

    output = import_(back)

    article.refresh_from_db()
    assert article.title_ar == NEW_TITLE
    assert f"applied  {key(article, 'title')}" in output
    assert "1 updated, 16 unchanged" in output


def test_round_trip_without_edits_changes_nothing(stale_summary, tmp_path):
    exported = export_file(tmp_path, file_format="po")
    converted, back = tmp_path / "c.xlf", tmp_path / "back.po"
    _po2xliff(exported, converted)
    _xliff2po(converted, back)
    before = snapshot()
    report = translations_import(path=back)
    assert (report.updated, report.unchanged, report.fuzzy_skipped) == ([], 16, 1)
    assert snapshot() == before


def test_po_without_msgctxt_or_key_comment_says_why_it_cannot_be_matched(demo_content, tmp_path):
    po = polib.pofile(str(export_file(tmp_path, file_format="po")))
    entry = po[0]
    entry.msgctxt = None
    entry.comment = "\n".join(
        line for line in entry.comment.splitlines() if not line.startswith("Key:")
    )
    po.save(str(tmp_path / "lost.po"))
    before = snapshot()
    with pytest.raises(ImportFailed) as failed:
        translations_import(path=tmp_path / "lost.po")
    [error] = failed.value.report.errors
    assert "no msgctxt and no “#. Key:” comment" in error.message
    assert "po2xliff/xliff2po drop msgctxt" in error.message
    assert error.line is not None
    assert snapshot() == before


def test_key_comment_naming_no_field_is_an_unknown_entry_with_its_key(demo_content, tmp_path):
    po = polib.pofile(str(export_file(tmp_path, file_format="po")))
    entry = po[0]
    entry.msgctxt = None
    entry.comment = "Key: articles.article:999999:title"
    po.save(str(tmp_path / "gone.po"))
    with pytest.raises(ImportFailed) as failed:
        translations_import(path=tmp_path / "gone.po")
    [error] = failed.value.report.errors
    assert error.context == "articles.article:999999:title"
    assert error.message.startswith("unknown entry: no translatable field of an existing object")
