"""Numbers a translation must keep, read in each language's own convention."""

import pytest

from clinic.i18n.invariants import compare

RANGE = "established disability (range, 3.5-8.5)"


def numbers(mismatches) -> tuple[tuple[str, ...], tuple[str, ...]]:
    (mismatch,) = mismatches
    assert mismatch.kind == "number"
    return mismatch.missing, mismatch.unexpected


@pytest.mark.parametrize(
    "translation",
    [
        "встановлену інвалідизацію (діапазон: 3,5–8,5)",
        "встановлену інвалідизацію (діапазон: 3,5-8,5)",
        "встановлену інвалідизацію (діапазон: 3.5–8.5)",
    ],
)
def test_a_ukrainian_decimal_comma_and_en_dash_range_keeps_the_source_numbers(translation):
    assert compare(RANGE, translation, "uk") == []


@pytest.mark.parametrize(
    "translation",
    ["عجز راسخ (النطاق: 3.5-8.5)", "عجز راسخ (النطاق: ٣٫٥-٨٫٥)", "عجز راسخ (النطاق: ۳٫۵-۸٫۵)"],
)
def test_an_arabic_range_with_a_decimal_point_and_hyphen_keeps_the_source_numbers(translation):
    assert compare(RANGE, translation, "ar") == []


def test_a_different_ukrainian_range_is_a_mismatch_though_it_has_the_same_digits():
    assert numbers(compare(RANGE, "(діапазон: 3,8–5,5)", "uk")) == (("3.5", "8.5"), ("3.8", "5.5"))


def test_a_different_arabic_range_is_a_mismatch():
    assert numbers(compare(RANGE, "(النطاق: 3.5-9.5)", "ar")) == (("8.5",), ("9.5",))


def test_a_decimal_comma_is_not_arabic_convention():
    assert numbers(compare(RANGE, "(النطاق: 3,5-8,5)", "ar")) == (
        ("3.5", "8.5"),
        ("3", "5", "5", "8"),
    )


def test_a_missing_decimal_part_is_a_mismatch():
    assert numbers(compare(RANGE, "(діапазон: 35–8,5)", "uk")) == (("3.5",), ("35",))


def test_thousands_are_read_in_each_languages_convention():
    source = "up to 10,000 cells"
    assert compare(source, "до 10 000 клітин", "uk") == []
    assert compare(source, "до 10\u00a0000 клітин", "uk") == []
    assert compare(source, "حتى ١٠٬٠٠٠ خلية", "ar") == []
    # A Ukrainian reader takes "10,000" for ten.
    assert numbers(compare(source, "до 10,000 клітин", "uk")) == (("10000",), ("10.000",))


def test_dates_and_lists_are_compared_as_runs_of_digits():
    assert compare("on 20.04.2016", "20.04.2016", "uk") == []
    assert compare("doses 1,2,3", "дози 1, 2, 3", "uk") == []
    assert compare("in 2016 20 patients", "у 2016 році 20 пацієнтів", "uk") == []


def test_without_a_language_numbers_are_read_as_the_source_writes_them():
    assert compare(RANGE, "(range, 3.5-8.5)") == []
    assert numbers(compare(RANGE, "(діапазон: 3,5–8,5)")) == (("3.5", "8.5"), ("3", "5", "5", "8"))
