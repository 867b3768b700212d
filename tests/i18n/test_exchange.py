"""Content translations through PO files: export, all-or-nothing import, round trips."""

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Topic
from clinic.i18n.exchange import ChangeKind, EntryChange, ImportFailed, translations_import
from clinic.i18n.invariants import number_format
from clinic.i18n.models import TranslationState
from clinic.i18n.state import FieldStatus, field_statuses
from clinic.models import ContactLine, Disclaimer
from tests.factories import translate

pytestmark = pytest.mark.django_db

BIN = Path(sys.executable).parent


def export(tmp_path, language="ar", *args) -> polib.POFile:
    path = tmp_path / f"{language}.po"
    call_command("export_translations", language, "-o", str(path), *args, stderr=io.StringIO())
    return polib.pofile(str(path))


def import_(path, *args) -> str:
    out = io.StringIO()
    call_command("import_translations", str(path), *args, stdout=out)
    return out.getvalue()


def save(po: polib.POFile, path: Path) -> Path:
    po.save(str(path))
    return path


def snapshot() -> list:
    rows = []
    for model in (Article, Topic, ContactLine, Disclaimer, TranslationState):
        rows += [
            repr(sorted(row.items(), key=str)) for row in model.objects.order_by("pk").values()
        ]
    return rows


def article_entry(po: polib.POFile, field: str) -> polib.POEntry:
    article = Article.objects.get()
    return po.find(f"articles.article:{article.pk}:{field}", by="msgctxt")


# Export


def test_one_entry_per_translatable_field_of_every_object(demo_content, tmp_path):
    po = export(tmp_path)
    contexts = [entry.msgctxt for entry in po]
    article = Article.objects.get()
    assert len(contexts) == 7 + 3 + 3 + 1 + 3  # the demo image: alt text, caption, credit
    assert f"articles.article:{article.pk}:title" in contexts
    assert not any(context.endswith(":slug") for context in contexts)
    assert {context.split(":")[0] for context in contexts} == {
        "articles.article",
        "articles.topic",
        "clinic.contactline",
        "clinic.disclaimer",
        "images.image",
    }


def test_entries_carry_source_translation_and_comments(demo_content, tmp_path):
    entry = article_entry(export(tmp_path), "title")
    article = Article.objects.get()
    assert entry.msgid == article.title_en
    assert entry.msgstr == article.title_ar
    assert f"/admin/articles/article/{article.pk}/change/" in entry.comment
    assert "title" in entry.comment
    assert not entry.fuzzy


def test_headers(demo_content, tmp_path):
    metadata = export(tmp_path).metadata
    assert metadata["Language"] == "ar"
    assert metadata["Plural-Forms"].startswith("nplurals=6;")
    assert metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert metadata["Project-Id-Version"]
    assert metadata["POT-Creation-Date"]
    assert export(tmp_path, "uk").metadata["Plural-Forms"].startswith("nplurals=4;")


def test_stale_entries_are_fuzzy_with_the_previous_source(demo_content, tmp_path):
    article = Article.objects.get()
    old_title = article.title_en
    article.title_en = "A corrected title"
    article.save()
    entry = article_entry(export(tmp_path), "title")
    assert entry.fuzzy
    assert entry.msgid == "A corrected title"
    assert entry.previous_msgid == old_title
    assert entry.msgstr == article.title_ar


def test_missing_entries_have_an_empty_msgstr(demo_content, tmp_path):
    line = ContactLine.objects.create(number="+380670000001", label_en="Night line")
    po = export(tmp_path, "uk")
    entry = po.find(f"clinic.contactline:{line.pk}:label", by="msgctxt")
    assert entry.msgstr == ""


def test_only_missing_and_only_stale(demo_content, tmp_path):
    ContactLine.objects.create(number="+380670000001", label_en="Night line")
    article = Article.objects.get()
    article.summary_en = "A corrected summary."
    article.save()
    assert [e.msgctxt.split(":")[-1] for e in export(tmp_path, "ar", "--only", "missing")] == [
        "label"
    ]
    assert [e.msgctxt.split(":")[-1] for e in export(tmp_path, "ar", "--only", "stale")] == [
        "summary"
    ]


def test_model_selection(demo_content, tmp_path):
    po = export(tmp_path, "ar", "--model", "topics", "--model", "clinic.disclaimer")
    assert {entry.msgctxt.split(":")[0] for entry in po} == {"articles.topic", "clinic.disclaimer"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["fr"], "not a target language"),
        (["en"], "not a target language"),
        (["ar", "--model", "x"], "Unknown"),
    ],
)
def test_bad_export_arguments_are_readable_errors(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_translations", *args, stdout=io.StringIO())


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
@pytest.mark.parametrize("language", ["ar", "uk"])
def test_export_passes_msgfmt_check(demo_content, tmp_path, language):
    Article.objects.update(title_en="Changed, so one entry is fuzzy")
    export(tmp_path, language)
    result = subprocess.run(
        ["msgfmt", "-c", "-o", "/dev/null", str(tmp_path / f"{language}.po")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("language", ["ar", "uk"])
def test_export_passes_pofilter_critical_and_invariant_checks(demo_content, tmp_path, language):
    export(tmp_path, language)
    checks = [
        "accelerators", "escapes", "newlines", "nplurals", "printf", "pythonbraceformat",
        "tabs", "variables", "xmltags", "numbers", "urls", "emails",
    ]  # fmt: skip
    if "," in number_format(language).decimal:
        # pofilter reads a decimal comma (3,5) as two numbers (translate-toolkit knows no
        # locale's decimal mark); the import's invariant check reads it as the language does.
        checks.remove("numbers")
    out = tmp_path / "failures.po"
    result = subprocess.run(
        [
            str(BIN / "pofilter"),
            *[f"-t{check}" for check in checks],
            str(tmp_path / f"{language}.po"),
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    failures = out.read_text() if out.exists() else ""
    assert "msgctxt" not in failures, failures


# Import


def test_round_trip_without_edits_changes_nothing(demo_content, tmp_path):
    export(tmp_path)
    before = snapshot()
    output = import_(tmp_path / "ar.po")
    assert "0 updated, 17 unchanged" in output
    assert snapshot() == before


def test_long_texts_with_quotes_backslashes_tabs_and_newlines_round_trip(demo_content, tmp_path):
    article = Article.objects.get()
    article.summary_en = " ".join(['A "quoted" word, a back\\slash and a\ttab;'] * 12) + "\n\nEnd."
    article.save()
    summary = " ".join(['كلمة "مقتبسة" وشرطة\\مائلة\tوجدولة؛'] * 12) + "\n\nالنهاية."
    translate(article, "ar", summary=summary)
    entry = article_entry(export(tmp_path), "summary")
    assert (entry.msgid, entry.msgstr) == (article.summary_en, summary)
    before = snapshot()
    assert "0 updated, 17 unchanged" in import_(tmp_path / "ar.po")
    assert snapshot() == before


def test_translated_import_is_served_by_the_api_as_current(demo_content, tmp_path, client):
    article = Article.objects.get()
    article.title_en = "Stem cell therapy may help progressive MS"
    article.save()
    po = export(tmp_path)
    entry = article_entry(po, "title")
    entry.msgstr = "قد يساعد العلاج بالخلايا الجذعية مرضى التصلب المتعدد المترقّي"
    entry.flags.remove("fuzzy")
    entry.previous_msgid = None
    output = import_(save(po, tmp_path / "ar.po"))
    assert "1 updated" in output
    item = client.get("/api/v1/articles/", {"lang": "ar"}).json()["results"][0]
    assert item["title"] == entry.msgstr
    assert item["translation"]["stale_fields"] == []


def test_import_records_origin_file_and_makes_fields_current(demo_content, tmp_path):
    line = ContactLine.objects.create(number="+380670000001", label_en="Night line")
    po = export(tmp_path, "uk", "--only", "missing")
    po[0].msgstr = "Нічна лінія"
    import_(save(po, tmp_path / "night-uk.po"))
    state = TranslationState.objects.get(
        object_id=line.pk, language="uk", content_type__model="contactline"
    )
    assert state.origin == TranslationState.Origin.IMPORT
    assert state.origin_detail == "night-uk.po"
    line.refresh_from_db()
    assert line.label_uk == "Нічна лінія"
    assert field_statuses(line, "uk") == {"label": FieldStatus.CURRENT}


def test_dry_run_reports_but_changes_nothing(demo_content, tmp_path):
    po = export(tmp_path)
    article_entry(po, "summary").msgstr = "ملخص جديد عن المرحلة 1 و 20 مريضًا و EDSS."
    before = snapshot()
    output = import_(save(po, tmp_path / "ar.po"), "--dry-run")
    assert "Dry run" in output
    assert "1 updated" in output
    assert snapshot() == before


def test_fuzzy_entries_are_skipped(demo_content, tmp_path):
    Article.objects.update(title_en="Changed")
    po = export(tmp_path)
    article_entry(po, "title").msgstr = "عنوان جديد"
    before = snapshot()
    assert "1 fuzzy skipped" in import_(save(po, tmp_path / "ar.po"))
    assert snapshot() == before


def test_changed_source_is_a_conflict_not_applied_while_others_apply(demo_content, tmp_path):
    po = export(tmp_path)
    article_entry(po, "title").msgstr = "عنوان من ملف قديم"
    topic_entry = next(entry for entry in po if entry.msgctxt.startswith("articles.topic"))
    topic_entry.msgstr = "موضوع محدث"
    save(po, tmp_path / "ar.po")
    Article.objects.update(title_en="The English changed meanwhile")
    output = import_(tmp_path / "ar.po")
    assert "1 conflicts" in output
    assert "articles.article" in output
    assert Article.objects.get().title_ar != "عنوان من ملف قديم"
    assert Topic.objects.filter(name_ar="موضوع محدث").exists()


@pytest.mark.parametrize(
    "meanwhile",
    [{"title_en": "Edited in the admin during the import"}, {"version": 99}],
    ids=["source-edited", "saved-again"],
)
def test_an_edit_saved_while_the_file_is_checked_is_not_overwritten(
    demo_content, tmp_path, meanwhile
):
    """Someone saves the article between the import's check and its writes: refused."""
    from unittest import mock

    from clinic.i18n.exchange import importing

    po = export(tmp_path)
    article_entry(po, "title").msgstr = "عنوان جديد"
    save(po, tmp_path / "ar.po")
    real_apply = importing._apply

    def edit_then_apply(*args, **kwargs):
        Article.objects.update(**meanwhile)
        return real_apply(*args, **kwargs)

    with (
        mock.patch.object(importing, "_apply", edit_then_apply),
        pytest.raises(CommandError, match="changed or deleted by someone else during the import"),
    ):
        import_(tmp_path / "ar.po")
    article = Article.objects.get()
    assert all(getattr(article, name) == value for name, value in meanwhile.items())
    assert article.title_ar != "عنوان جديد"


def test_unsafe_html_is_sanitised_and_reported(demo_content, tmp_path):
    po = export(tmp_path)
    entry = article_entry(po, "body")
    entry.msgstr = (
        entry.msgstr.replace("<p>", '<p onclick="steal()">', 1) + "<script>alert(1)</script>"
    )
    output = import_(save(po, tmp_path / "ar.po"))
    assert "sanitised" in output
    body = Article.objects.get().body_ar
    assert "onclick" not in body
    assert "script" not in body


def _fails(path: Path, *args, match: str) -> str:
    before = snapshot()
    with pytest.raises(CommandError) as excinfo:
        import_(path, *args)
    assert snapshot() == before, "a failed import changed data"
    message = str(excinfo.value)
    assert match in message, message
    return message


def test_invariant_mismatch_is_an_error_naming_entry_and_line(demo_content, tmp_path):
    po = export(tmp_path)
    summary = article_entry(po, "summary")
    summary.msgstr = summary.msgstr.replace("20", "25")
    topic_entry = next(entry for entry in po if entry.msgctxt.startswith("articles.topic"))
    topic_entry.msgstr = "موضوع محدث"
    save(po, tmp_path / "ar.po")
    line = next(
        e.linenum for e in polib.pofile(str(tmp_path / "ar.po")) if e.msgctxt == summary.msgctxt
    )
    message = _fails(tmp_path / "ar.po", match=summary.msgctxt)
    assert f"line {line}" in message
    assert "20" in message and "25" in message


def test_a_translation_longer_than_its_field_is_an_error(demo_content, tmp_path):
    po = export(tmp_path)
    article_entry(po, "seo_title").msgstr = "ع" * 71
    message = _fails(save(po, tmp_path / "ar.po"), match="too long: 71 characters, at most 70")
    assert f"articles.article:{Article.objects.get().pk}:seo_title" in message


def test_a_nul_character_is_an_error_not_a_database_failure(demo_content, tmp_path):
    """PostgreSQL cannot store U+0000 in text: the import says which entry, changes nothing."""
    po = export(tmp_path)
    article_entry(po, "title").msgstr = "\x00 عنوان"
    message = _fails(save(po, tmp_path / "ar.po"), match="NUL character")
    assert f"articles.article:{Article.objects.get().pk}:title" in message
    assert Article.objects.get().title_ar != "\x00 عنوان"


def test_truncated_file_is_refused(demo_content, tmp_path):
    export(tmp_path)
    text = (tmp_path / "ar.po").read_text()
    cut = tmp_path / "cut.po"
    cut.write_text(text[: text.index("msgstr", 2000) + 12])
    _fails(cut, match="PO syntax error")


def test_garbage_is_refused(db, tmp_path):
    path = tmp_path / "bad.po"
    path.write_text('msgid ""\nmsgstr ""\n"Language: ar\\n"\n\nthis is not a PO file\n')
    _fails(path, match="line 5")


def test_wrong_encoding_is_refused(demo_content, tmp_path):
    export(tmp_path)
    path = tmp_path / "latin.po"
    path.write_bytes(
        (tmp_path / "ar.po").read_text().replace("قد", "Ã©").encode("utf-8")[:-1] + b"\xe9"
    )
    _fails(path, match="not UTF-8")


@pytest.mark.parametrize(
    ("language", "match"),
    [("fr", "not a target language"), ("en", "not a target language"), ("", "no Language")],
)
def test_wrong_language_is_refused(demo_content, tmp_path, language, match):
    po = export(tmp_path)
    po.metadata["Language"] = language
    _fails(save(po, tmp_path / "x.po"), match=match)


def test_lang_option_must_match_the_header(demo_content, tmp_path):
    export(tmp_path, "uk")
    _fails(tmp_path / "uk.po", "--lang", "ar", match="not “ar”")


def test_unknown_context_is_refused(demo_content, tmp_path):
    po = export(tmp_path)
    po.append(polib.POEntry(msgctxt="articles.article:999999:title", msgid="Ghost", msgstr="شبح"))
    _fails(save(po, tmp_path / "ar.po"), match="articles.article:999999:title: unknown entry")


def test_duplicate_entries_are_refused(demo_content, tmp_path):
    po = export(tmp_path)
    entry = article_entry(po, "title")
    (tmp_path / "dup.po").write_text(str(po) + "\n\n" + str(entry) + "\n")
    _fails(tmp_path / "dup.po", match="duplicate entry")


# What an import lists


def _new_updated_and_stale(tmp_path) -> tuple[Path, list[str]]:
    """An Arabic file with three changes (a new, an updated and a stale entry), in file order."""
    night = ContactLine.objects.create(number="+380670000001", label_en="Night line")
    topic_pk = Topic.objects.order_by("pk")[0].pk
    Topic.objects.filter(pk=topic_pk).update(name_en="Renamed topic")
    po = export(tmp_path)
    article_entry(po, "title").msgstr = "عنوان جديد"
    topic = po.find(f"articles.topic:{topic_pk}:name", by="msgctxt")
    topic.msgstr = "موضوع محدث"
    topic.flags.remove("fuzzy")
    topic.previous_msgid = None
    line = po.find(f"clinic.contactline:{night.pk}:label", by="msgctxt")
    line.msgstr = "خط ليلي"
    edited = {article_entry(po, "title").msgctxt, topic.msgctxt, line.msgctxt}
    return save(po, tmp_path / "ar.po"), [e.msgctxt for e in po if e.msgctxt in edited]


def _listed(output: str, verb: str) -> list[str]:
    """The contexts of the lines ``verb  <context>  …`` of the command's output."""
    prefix = f"{verb}  "
    return [
        line.removeprefix(prefix).split("  ")[0]
        for line in output.splitlines()
        if line.startswith(prefix)
    ]


def test_dry_run_lists_each_change_in_file_order_and_writes_nothing(demo_content, tmp_path):
    path, contexts = _new_updated_and_stale(tmp_path)
    before = snapshot()
    output = import_(path, "--dry-run")
    assert _listed(output, "would apply") == contexts
    assert _listed(output, "applied") == []
    assert "3 updated" in output
    assert snapshot() == before


def test_each_change_names_object_field_column_and_kind(demo_content, tmp_path):
    path, _contexts = _new_updated_and_stale(tmp_path)
    article = Article.objects.get()
    topic = Topic.objects.order_by("pk")[0]
    line = ContactLine.objects.get(number="+380670000001")
    report = translations_import(path=path, dry_run=True)
    assert {change.context: change for change in report.updated} == {
        f"articles.article:{article.pk}:title": EntryChange(
            context=f"articles.article:{article.pk}:title",
            model_verbose_name="article",
            object_title="Patients with progressive multiple sclerosis may benefit…",
            field_verbose_name="title",
            column="title_ar",
            kind=ChangeKind.UPDATED,
        ),
        f"articles.topic:{topic.pk}:name": EntryChange(
            context=f"articles.topic:{topic.pk}:name",
            model_verbose_name="topic",
            object_title="Renamed topic",
            field_verbose_name="name",
            column="name_ar",
            kind=ChangeKind.MADE_CURRENT,
        ),
        f"clinic.contactline:{line.pk}:label": EntryChange(
            context=f"clinic.contactline:{line.pk}:label",
            model_verbose_name="contact line",
            object_title=line.display,
            field_verbose_name="label",
            column="label_ar",
            kind=ChangeKind.NEW,
        ),
    }
    assert "  Topic “Renamed topic” — name [name_ar] (was stale, now current)" in import_(
        path, "--dry-run"
    )


def test_import_lists_the_changes_its_dry_run_listed(demo_content, tmp_path):
    path, contexts = _new_updated_and_stale(tmp_path)
    dry = [line for line in import_(path, "--dry-run").splitlines() if line.startswith("would")]
    output = import_(path)
    assert [line for line in output.splitlines() if line.startswith("applied")] == [
        line.replace("would apply", "applied", 1) for line in dry
    ]
    assert _listed(output, "applied") == contexts
    assert Article.objects.get().title_ar == "عنوان جديد"


def test_unchanged_entries_are_not_listed(demo_content, tmp_path):
    path, _contexts = _new_updated_and_stale(tmp_path)
    import_(path)
    again = import_(path)
    assert "0 updated, 18 unchanged" in again
    assert _listed(again, "applied") == []
    assert translations_import(path=path).updated == []


def test_a_refused_import_lists_nothing_as_applied(demo_content, tmp_path):
    path, _contexts = _new_updated_and_stale(tmp_path)
    po = polib.pofile(str(path))
    summary = article_entry(po, "summary")
    summary.msgstr = summary.msgstr.replace("20", "25")
    save(po, path)
    out = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_translations", str(path), stdout=out)
    assert _listed(out.getvalue(), "applied") == []
    with pytest.raises(ImportFailed) as refused:
        translations_import(path=path)
    assert refused.value.report.updated == []
    assert refused.value.report.errors


# Report


def test_report_table_and_json(demo_content):
    ContactLine.objects.create(number="+380670000001", label_en="Night line")
    out = io.StringIO()
    call_command("translation_report", "--lang", "ar", stdout=out)
    assert "contacts" in out.getvalue()
    out = io.StringIO()
    call_command("translation_report", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    contacts = next(
        r for r in data["rows"] if r["language"] == "uk" and r["content_type"] == "contacts"
    )
    assert (contacts["current"], contacts["missing"], contacts["stale"], contacts["total"]) == (
        3,
        1,
        0,
        4,
    )
    assert contacts["percent"] == 75.0


def test_report_fails_under_a_threshold(demo_content):
    ContactLine.objects.create(number="+380670000001", label_en="Night line")
    call_command("translation_report", "--fail-under", "90", stdout=io.StringIO())
    with pytest.raises(CommandError, match="Below 99"):
        call_command("translation_report", "--fail-under", "99", stdout=io.StringIO())


def test_report_refuses_unknown_languages(db):
    with pytest.raises(CommandError, match="Unknown language"):
        call_command("translation_report", "--lang", "fr", stdout=io.StringIO())
