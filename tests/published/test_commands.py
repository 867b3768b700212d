"""published_rebuild and published_verify: the read model against the content."""

import io

import pytest
from django.core.management import CommandError, call_command

from clinic.published.models import Document
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_verify_finds_a_document_changed_behind_the_write_path_and_rebuild_repairs_it(api):
    article = ArticleFactory(title_en="Right")
    call_command("published_verify", stdout=io.StringIO())
    Document.objects.filter(kind="article", object_id=article.pk, language="ar").update(
        list_json='{"title": "Wrong"}'
    )
    with pytest.raises(CommandError, match="1 documents differ"):
        call_command("published_verify", stdout=io.StringIO())
    out = io.StringIO()
    call_command("published_rebuild", "--kind", "article", "--language", "ar", stdout=out)
    assert "1 documents written" in out.getvalue()
    call_command("published_verify", stdout=io.StringIO())
    assert api.get_json("/api/v1/articles/", lang="ar").json()["results"][0]["title"] == "Right"


def test_a_write_that_bypassed_the_write_path_is_served_after_a_rebuild(api):
    article = ArticleFactory(title_en="Before")
    type(article).objects.filter(pk=article.pk).update(title_en="After")  # raw SQL, say
    assert api.get_json("/api/v1/articles/").json()["results"][0]["title"] == "Before"
    call_command("published_rebuild", stdout=io.StringIO())
    assert api.get_json("/api/v1/articles/").json()["results"][0]["title"] == "After"


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--kind", "nope"], "Unknown kind nope"), (["--language", "xx"], "Unknown language xx")],
)
def test_unknown_kinds_and_languages_are_refused(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("published_rebuild", *args, stdout=io.StringIO())
