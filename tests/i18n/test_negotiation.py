import pytest

from clinic.i18n.negotiation import UnsupportedLanguage, negotiate_language


@pytest.mark.parametrize(
    ("query", "header", "expected"),
    [
        (None, "", "en"),
        (None, "ar", "ar"),
        (None, "ar-EG", "ar"),
        (None, "fr, ar;q=0.8", "ar"),
        (None, "fr, de;q=0.9", "en"),
        (None, "uk-UA,uk;q=0.9,en;q=0.8", "uk"),
        (None, "en;q=0.5, uk;q=0.9", "uk"),
        (None, "ar;q=0, uk;q=0.1", "uk"),
        (None, "*", "en"),
        (None, "garbage;;;q=x", "en"),
        (None, "x" * 5000, "en"),
        ("ar", "uk", "ar"),
        ("AR", "", "ar"),
        ("ar-EG", "", "ar"),
        ("uk", "ar", "uk"),
        ("", "ar", "ar"),
    ],
)
def test_query_then_accept_language_then_english(query, header, expected):
    assert negotiate_language(query, header) == expected


@pytest.mark.parametrize("query", ["fr", "xx-YY", "a" * 300, "ar\x00", " "])
def test_unsupported_query_language_is_an_error(query):
    with pytest.raises(UnsupportedLanguage):
        negotiate_language(query, "ar")
