"""Phone numbers: parsed with Google's libphonenumber port, stored in E.164."""

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def parse_phone(raw: str, region: str | None = None) -> phonenumbers.PhoneNumber:
    """Parse ``raw`` as written on a page (``00380…``, ``+38 068 …``, ``068 …``).

    Numbers without a country code are read in ``region`` (default:
    ``settings.PHONE_DEFAULT_REGION``), whose international call prefix (``00``
    in Ukraine) is understood too.
    """
    try:
        number = phonenumbers.parse(raw, region or settings.PHONE_DEFAULT_REGION)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            _("“%(value)s” is not a phone number."), code="invalid_phone", params={"value": raw}
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("“%(value)s” is not a valid phone number."),
            code="invalid_phone",
            params={"value": raw},
        )
    return number


def normalize_phone(raw: str, region: str | None = None) -> str:
    """The E.164 form of ``raw`` (``+380930552240``)."""
    return phonenumbers.format_number(parse_phone(raw, region), phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """International format for people (``+380 93 055 2240``)."""
    return phonenumbers.format_number(
        phonenumbers.parse(e164), phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )


def phone_uri(e164: str) -> str:
    """A ``tel:`` URI (RFC 3966, global number without separators: ``tel:+380930552240``)."""
    return f"tel:{e164}"
