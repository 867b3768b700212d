"""The new language at 0 %: the translation report and the exported PO file."""

from pathlib import Path

import polib

from clinic.i18n.completeness import completeness_by_type
from clinic.i18n.languages import source_language, target_languages
from clinic.i18n.registry import api_name, localized, translatable_models

from .common import check, expected_fallback, ok, say
from .snapshot import report


def check_untranslated(label: str, figures: dict, source_total: int | None) -> bool:
    """Nothing translated: every field with English text is missing (0 %, where there is any).

    A content type the demo holds none of (reviewers) has nothing to translate: 0 of 0.
    """
    good = check(
        figures["current"] == 0 and figures["stale"] == 0,
        f"{label}: expected 0 current, 0 stale, got {figures}",
    )
    good &= check(
        figures["total"] == source_total and figures["missing"] == figures["total"],
        f"{label}: expected missing == total == {source_total} (the English total), got {figures}",
    )
    if figures["total"]:
        good &= check(figures["percent"] == 0, f"{label}: expected 0 %, got {figures}")
    return good


def check_report(snap: dict, language: str) -> None:
    say(f"translation_report: {language} is 0 % translated, the others unchanged")
    data = report([language])
    rows = {row["content_type"]: row for row in data["rows"]}
    totals = {
        name: figures.total for name, figures in completeness_by_type(source_language()).items()
    }
    for model in translatable_models():
        name = api_name(model)
        row = rows.get(name)
        if not check(row is not None, f"translation_report has no row for {name}"):
            continue
        if check_untranslated(f"{language} {name}", row, totals.get(name)):
            ok(f"{name}: {row['percent']} % ({row['missing']} of {row['total']} fields missing)")
    check(
        data["overall"].get(language) == 0,
        f"overall for {language}: {data['overall'].get(language)}",
    )
    if check(
        report(target_languages()[:-1]) == snap["report"],
        "the report for the existing languages changed",
    ):
        ok(f"{', '.join(snap['report']['overall'])}: report unchanged {snap['report']['overall']}")


def check_export(language: str, po_path: Path) -> None:
    say(f"export_translations {language}: one empty entry per translatable field")
    po = polib.pofile(str(po_path))
    check(po.metadata.get("Language") == language, f"PO Language header: {po.metadata}")
    expected: dict[str, str] = {}
    for model in translatable_models():
        for obj in model._default_manager.order_by("pk"):
            for name in sorted(expected_fallback(obj)):
                context = f"{obj._meta.label_lower}:{obj.pk}:{name}"
                expected[context] = getattr(obj, localized(name, source_language()))
    contexts = [entry.msgctxt for entry in po]
    check(len(contexts) == len(set(contexts)), "the PO file has duplicate entries")
    check(
        set(contexts) == set(expected),
        f"PO entries differ: missing {sorted(set(expected) - set(contexts))}, "
        f"unexpected {sorted(set(contexts) - set(expected))}",
    )
    for entry in po:
        check(entry.msgstr == "", f"{entry.msgctxt}: msgstr is not empty")
        check(not entry.fuzzy, f"{entry.msgctxt}: marked fuzzy")
        if entry.msgctxt in expected:
            check(
                entry.msgid == expected[entry.msgctxt], f"{entry.msgctxt}: msgid is not the English"
            )
    ok(f"{len(po)} entries, {len(expected)} expected")
