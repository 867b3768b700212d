import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from clinic.models import ContactLine
from clinic.phones import display_phone, normalize_phone, phone_uri
from tests.factories import ContactLineFactory


@pytest.mark.parametrize(
    ("written", "e164"),
    [
        ("00380930552240", "+380930552240"),
        ("+38 068 889 89 89", "+380688898989"),
        ("+38 044 223 28 95", "+380442232895"),
        ("068 889 89 89", "+380688898989"),
        ("+380 (93) 055-22-40", "+380930552240"),
    ],
)
def test_numbers_as_written_on_the_page_normalise_to_e164(written, e164):
    assert normalize_phone(written) == e164


def test_default_region_is_configurable(settings):
    settings.PHONE_DEFAULT_REGION = "US"
    assert normalize_phone("(201) 555-0123") == "+12015550123"


@pytest.mark.parametrize("written", ["12", "not a number", "+380 12", ""])
def test_invalid_numbers_are_rejected_with_a_clear_message(written):
    with pytest.raises(ValidationError) as excinfo:
        normalize_phone(written)
    assert "phone number" in str(excinfo.value)


def test_display_and_tel_uri():
    assert display_phone("+380930552240") == "+380 93 055 2240"
    assert phone_uri("+380930552240") == "tel:+380930552240"


@pytest.mark.django_db
def test_clean_stores_the_e164_form():
    line = ContactLine(number="00380930552240", label_en="Arabic-speaking line", languages=["ar"])
    line.full_clean()
    assert line.number == "+380930552240"


@pytest.mark.django_db
def test_the_same_number_written_differently_is_a_duplicate():
    ContactLineFactory(number="+380930552240")
    duplicate = ContactLine(number="00380930552240", label_en="Again", languages=[])
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert "number" in excinfo.value.message_dict


@pytest.mark.django_db
def test_the_database_refuses_a_duplicate_number():
    ContactLineFactory(number="+380930552240")
    with pytest.raises(IntegrityError):
        ContactLine.objects.create(number="+380930552240", label_en="Again")


@pytest.mark.django_db
def test_unknown_spoken_language_is_rejected():
    line = ContactLine(number="+380930552240", label_en="Line", languages=["xx"])
    with pytest.raises(ValidationError) as excinfo:
        line.full_clean()
    assert "languages" in excinfo.value.message_dict
