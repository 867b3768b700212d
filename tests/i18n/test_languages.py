"""The target languages and their ``translate_<lang>`` permissions, named in one place."""

import pytest
from django.contrib import admin

from clinic.i18n.languages import (
    language_codes,
    target_languages,
    translate_codename,
    translate_permission,
)
from clinic.i18n.models import TranslationState
from clinic.i18n.registry import localized_columns, translatable_models


def test_a_permission_codename_has_no_hyphen():
    assert translate_codename("pt-br") == "translate_pt_br"
    assert translate_permission("ar") == "i18n.translate_ar"


def test_every_target_language_has_its_translate_permission():
    declared = {codename for codename, _name in TranslationState._meta.permissions}
    assert {translate_codename(code) for code in target_languages()} <= declared
    assert translate_codename("en") not in declared


def test_localized_columns_name_every_language():
    assert localized_columns("title") == [f"title_{code}" for code in language_codes()]


@pytest.mark.parametrize("model", translatable_models(), ids=lambda model: model._meta.label)
def test_admin_search_looks_in_every_language_of_a_translated_field(model):
    model_admin = admin.site._registry.get(model)
    if model_admin is None:
        pytest.skip("not in the admin")
    searched: dict[str, set[str]] = {}
    for name in model_admin.search_fields:
        field = model._meta.get_field(name)
        original = getattr(field, "translated_field", None)
        if original is not None:
            searched.setdefault(original.name, set()).add(field.language)
    for languages in searched.values():
        assert languages == set(language_codes())
