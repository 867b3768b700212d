"""The mixed run's editor: every edit is a real save through the one write path."""

import pytest

from articles.models import Article
from bench.editor import EDIT_SUFFIXES, edit_article, toggle_suffix
from clinic.content import content_saved
from clinic.i18n.models import TranslationState
from clinic.i18n.state import get_states
from tests.factories import ArticleFactory, translate


def test_toggling_a_suffix_adds_it_then_removes_it():
    once = toggle_suffix("Summary.", " (revised)")
    assert once == "Summary. (revised)"
    assert toggle_suffix(once, " (revised)") == "Summary."


@pytest.fixture
def announced():
    """Each announcement of the write path: (pk, fields, origin)."""
    saved = []

    def receiver(sender, obj, fields, origin, **kwargs):
        saved.append((obj.pk, fields, origin))

    content_saved.connect(receiver, dispatch_uid="test-bench-editor")
    yield saved
    content_saved.disconnect(dispatch_uid="test-bench-editor")


@pytest.mark.django_db
def test_an_english_edit_is_saved_through_the_write_path_as_the_admin_would(announced):
    article = ArticleFactory(summary_en="A summary.")
    announced.clear()
    edit_article(article.pk, "en")
    article.refresh_from_db()
    assert article.summary_en == "A summary." + EDIT_SUFFIXES["en"]
    assert announced == [(article.pk, ("summary_en",), TranslationState.Origin.ADMIN)]


@pytest.mark.django_db
def test_an_arabic_edit_is_recorded_as_a_current_translation():
    article = ArticleFactory(summary_en="A summary.")
    translate(article, "ar", summary="ملخص.")
    edit_article(article.pk, "ar")
    article = Article.objects.get(pk=article.pk)
    assert article.summary_ar == "ملخص." + EDIT_SUFFIXES["ar"]
    assert get_states(article)["ar"].sources["summary"] == "A summary."
