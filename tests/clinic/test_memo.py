"""Hot-path memos: declared once, read through one interface, forgotten by the writes."""

import pytest

from clinic.i18n.fallback import LOCALIZED, localize
from clinic.i18n.models import TranslationState
from clinic.i18n.services import translation_set_status
from clinic.i18n.state import TRANSLATION_STATES, get_states
from clinic.memo import Memo, registered
from tests.factories import TopicFactory, translate


class Thing:
    pass


def test_every_memo_says_what_it_holds_what_fills_it_and_what_makes_it_wrong():
    import articles.api.serializers  # noqa: F401  (declares the alternates)

    memos = {memo.name: memo for memo in registered()}
    assert {
        "translation_states",
        "localized",
        "topic_list",
        "alternates",
        "medical_reviews",
    } <= set(memos)
    for memo in memos.values():
        assert memo.holds and memo.filled_by and memo.invalidated_by


def test_a_memo_name_is_declared_once():
    with pytest.raises(ValueError, match="already registered"):
        Memo("localized", holds="-", filled_by="-", invalidated_by="-")


def test_a_value_is_computed_once_and_kept_on_its_object():
    calls = []
    thing = Thing()
    assert not TRANSLATION_STATES.is_set(thing)
    assert TRANSLATION_STATES.get(thing) is None
    for _ in range(2):
        TRANSLATION_STATES.get_or_set(thing, lambda: calls.append(1) or {})
    assert calls == [1]
    assert TRANSLATION_STATES.get(Thing()) is None


def test_forgetting_the_states_forgets_what_was_derived_from_them():
    thing = Thing()
    TRANSLATION_STATES.set(thing, {})
    LOCALIZED.set(thing, {})
    TRANSLATION_STATES.forget(thing)
    assert not TRANSLATION_STATES.is_set(thing)
    assert not LOCALIZED.is_set(thing)


@pytest.mark.django_db
def test_a_translation_published_after_it_was_served_is_served_published():
    topic = TopicFactory(name_en="Stem cells")
    translate(topic, "ar", publish=False, name="الخلايا الجذعية")
    assert localize(topic, "ar").fallback_fields == ["name"]
    translation_set_status(obj=topic, language="ar", status=TranslationState.Status.PUBLISHED)
    assert get_states(topic)["ar"].is_published
    assert localize(topic, "ar").values["name"] == "الخلايا الجذعية"
