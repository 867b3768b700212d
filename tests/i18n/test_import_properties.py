"""Property-based: whatever PO file comes in, an import applies wholly or changes nothing."""

import io

import polib
import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from clinic.html import sanitize_html
from clinic.i18n.exchange import ImportFailed, translations_import
from clinic.i18n.registry import html_fields, localized, translatable_fields, translatable_models

pytestmark = pytest.mark.django_db

TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=0, max_size=40
)


def content() -> dict:
    """Every translatable field of every object, by entry context."""
    values = {}
    for model in translatable_models():
        for obj in model.objects.order_by("pk"):
            for name in translatable_fields(model):
                for language in ("ar", "uk"):
                    key = f"{obj._meta.label_lower}:{obj.pk}:{name}:{language}"
                    values[key] = getattr(obj, localized(name, language))
    return values


@pytest.fixture
def exported(demo_content, tmp_path):
    path = tmp_path / "ar.po"
    call_command("export_translations", "ar", "-o", str(path), stderr=io.StringIO())
    return polib.pofile(str(path))


WORDS = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Nd", "No", "Nl"]),
    min_size=1,
    max_size=30,
)
ACTIONS = ["translate", "keep-numbers", "keep-numbers", "fuzzy", "conflict", "duplicate", "empty"]
edits = st.lists(
    st.tuples(st.integers(min_value=0, max_value=13), st.sampled_from(ACTIONS), TEXT, WORDS),
    max_size=6,
)
damage = st.sampled_from(["none", "none", "none", "truncate", "latin-1", "utf-16", "language"])


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=edits, damage=damage, cut=st.floats(min_value=0.05, max_value=0.95))
def test_an_import_applies_wholly_or_changes_nothing(exported, tmp_path, edits, damage, cut):
    with transaction.atomic():
        po = polib.pofile(str(exported))
        entries = list(po)
        for index, action, text, words in edits:
            entry = entries[index % len(entries)]
            if action == "translate":
                entry.msgstr = text
            elif action == "keep-numbers":
                entry.msgstr = f"{words} {entry.msgstr}"
            elif action == "fuzzy":
                entry.flags.append("fuzzy")
            elif action == "conflict":
                entry.msgid = f"{entry.msgid} (changed)"
            elif action == "duplicate":
                po.append(polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid, msgstr=text))
            elif action == "empty":
                entry.msgstr = ""
        raw = str(po).encode("utf-8")
        if damage == "truncate":
            raw = raw[: int(len(raw) * cut)]
        elif damage == "latin-1":
            raw = str(po).encode("utf-8", "replace").decode("utf-8").encode("latin-1", "replace")
            raw += "\né".encode("latin-1")
        elif damage == "utf-16":
            raw = str(po).encode("utf-16")
        elif damage == "language":
            raw = raw.replace(b"Language: ar", b"Language: fr")
        path = tmp_path / "edited.po"
        path.write_bytes(raw)
        before = content()
        try:
            report = translations_import(path=path)
        except ImportFailed:
            event("refused")
            assert content() == before
        else:
            event("applied, some updates" if report.updated else "applied, nothing to update")
            after = content()
            contexts = [change.context for change in report.updated]
            updated = {f"{context}:ar" for context in contexts}
            for key, value in after.items():
                if key not in updated:
                    assert value == before[key], key
            by_context = {entry.msgctxt: entry for entry in polib.pofile(raw.decode("utf-8"))}
            for context in contexts:
                label, _pk, name = context.split(":")
                model = next(m for m in translatable_models() if m._meta.label_lower == label)
                text = by_context[context].msgstr
                expected = sanitize_html(text) if name in html_fields(model) else text
                assert after[f"{context}:ar"] == expected
        transaction.set_rollback(True)
