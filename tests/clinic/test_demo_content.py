import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict

from articles.models import Article, Reference, Topic
from clinic.i18n.models import TranslationState
from clinic.i18n.state import FieldStatus, translation_report
from clinic.models import ContactLine, Disclaimer

pytestmark = pytest.mark.django_db

# A copy of the clinic's original page (../shared/seed/clinic-page.txt).
PAGE = (Path(__file__).parents[1] / "fixtures" / "clinic-page.txt").read_text(encoding="utf-8")
PAGE_BLOCKS = [block.strip() for block in PAGE.split("\n\n") if block.strip()]
TITLE, PARAGRAPHS, DISCLAIMER = PAGE_BLOCKS[1], PAGE_BLOCKS[2:9], PAGE_BLOCKS[9]
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF]")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
CONTENT_MODELS = [Article, Topic, ContactLine, Disclaimer, Reference, TranslationState]


def snapshot() -> dict:
    """Every row of every content table, timestamps included."""
    return {
        model.__name__: [
            (obj.pk, repr(sorted(model_to_dict(obj).items())), getattr(obj, "updated_at", None))
            for obj in model.objects.order_by("pk")
        ]
        for model in CONTENT_MODELS
    }


def test_loads_the_whole_page(demo_content):
    assert Article.objects.count() == 1
    assert Topic.objects.count() == 3
    assert ContactLine.objects.count() == 3
    assert Disclaimer.objects.count() == 1


def test_english_title_and_paragraphs_are_verbatim(demo_content):
    article = Article.objects.get()
    assert article.title_en == TITLE
    body_paragraphs = re.findall(r"<p>(.*?)</p>", article.body_en, flags=re.S)
    assert [p.replace("&#x27;", "'") for p in body_paragraphs] == PARAGRAPHS


def test_disclaimer_is_verbatim(demo_content):
    disclaimer = Disclaimer.objects.get(key="treatment-results")
    assert disclaimer.text_en == DISCLAIMER
    assert disclaimer.applies_to == Disclaimer.AppliesTo.ARTICLES


def test_study_metadata(demo_content):
    article = Article.objects.get()
    assert article.phase == Article.Phase.PHASE_1
    assert article.enrollment == 20
    assert article.institution == "Tisch MS Research Center of New York"
    assert "Sadiq" in article.lead_investigator
    assert "American Academy of Neurology" in article.presented_at
    assert article.presented_at.startswith("2016")
    assert "Vancouver" in article.presented_place
    assert article.status == Article.Status.PUBLISHED
    assert {topic.slug_en for topic in article.topics.all()} == {
        "multiple-sclerosis",
        "stem-cell-therapy",
        "clinical-trials",
    }
    assert [(ref.kind, ref.identifier) for ref in article.references.all()] == [
        ("nct", "NCT01933802")
    ]


def test_arabic_speaking_line_listed_twice_exists_once(demo_content):
    lines = ContactLine.objects.filter(number="+380930552240")
    assert lines.count() == 1
    line = lines.get()
    assert line.languages == ["ar"]
    assert line.label_en == "Arabic-speaking line"
    assert sorted(ContactLine.objects.values_list("number", flat=True)) == [
        "+380442232895",
        "+380688898989",
        "+380930552240",
    ]


def test_running_twice_changes_nothing(demo_content):
    before = snapshot()
    call_command("load_demo_content")
    assert snapshot() == before


def test_existing_content_is_never_overwritten(demo_content):
    article = Article.objects.get()
    article.title_en = "Edited by an editor"
    article.save()
    call_command("load_demo_content")
    assert Article.objects.get().title_en == "Edited by an editor"
    assert Article.objects.count() == 1


@pytest.mark.parametrize(("language", "script"), [("ar", ARABIC_SCRIPT), ("uk", CYRILLIC)])
def test_translations_are_real_published_and_current(demo_content, language, script):
    for model in (Article, Topic, ContactLine, Disclaimer):
        for obj in model.objects.all():
            report = translation_report(obj, language)
            assert report.published, (obj, language)
            assert report.fields, (obj, language)
            assert set(report.fields.values()) == {FieldStatus.CURRENT}, (obj, language)
            for field in report.fields:
                text = getattr(obj, f"{field}_{language}")
                assert text != getattr(obj, f"{field}_en")
                assert script.search(text), (obj, field, language)


@pytest.mark.parametrize(("language", "decimal_mark"), [("ar", "."), ("uk", ",")])
def test_translations_keep_every_number_of_the_source(demo_content, language, decimal_mark):
    numbers = re.compile(r"\d+(?:[.,]\d+)?")
    for model in (Article, Topic, ContactLine, Disclaimer):
        for obj in model.objects.all():
            for field in translation_report(obj, language).fields:
                source = sorted(numbers.findall(getattr(obj, f"{field}_en")))
                found = numbers.findall(getattr(obj, f"{field}_{language}"))
                assert sorted(number.replace(decimal_mark, ".") for number in found) == source


def test_translated_slugs_are_derived(demo_content):
    article = Article.objects.get()
    assert (
        article.slug_en
        == "patients-with-progressive-multiple-sclerosis-may-benefit-from-stem-cell-therapy"
    )
    assert ARABIC_SCRIPT.search(article.slug_ar)
    assert CYRILLIC.search(article.slug_uk)


def test_the_loader_sanitises_what_it_loads(tmp_path, client):
    import json

    from clinic.demo import DEMO_CONTENT, demo_content_load

    data = json.loads(DEMO_CONTENT.read_text(encoding="utf-8"))
    # Hostile markup before the paragraph's text (its numbers still match the translations).
    data["article"]["body_paragraphs"]["en"][0] = (
        '<script>alert(document.cookie)</script><img src=x onerror="alert(document.domain)">'
        + data["article"]["body_paragraphs"]["en"][0]
    )
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    demo_content_load(path=path)
    slug = Article.objects.get().slug_en
    body = client.get(f"/api/v1/articles/{slug}/").json()["body"]
    assert "<script" not in body
    assert "<img" not in body
