"""The unified social credit code (统一社会信用代码, GB 32100-2015) every organisation carries.

Eighteen characters from a 31-symbol alphabet (digits and capitals without I, O, Z, S, V):
a registering authority, an organisation type, a six-digit administrative division, a nine-
character organisation code and a check character computed from the first seventeen.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
SHAPE = re.compile(rf"^[{ALPHABET}]{{2}}[0-9]{{6}}[{ALPHABET}]{{10}}$")


def check_character(first_seventeen: str) -> str:
    total = sum(ALPHABET.index(char) * weight for char, weight in zip(first_seventeen, WEIGHTS, strict=False))
    return ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    if len(value) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(length)d."),
            code="credit_code_length",
            params={"length": len(value)},
        )
    if not SHAPE.match(value):
        raise ValidationError(
            _(
                "A unified social credit code uses digits and capital letters other than I, O, Z, S and V, "
                "with digits in positions 3 to 8."
            ),
            code="credit_code_characters",
        )
    if check_character(value[:17]) != value[17]:
        raise ValidationError(
            _("The last character of the unified social credit code does not match its check digit."),
            code="credit_code_check",
        )


def make_credit_code(authority: str, kind: str, division: str, serial: str) -> str:
    """Build a valid code from its parts (used for demo data and tests)."""
    body = f"{authority}{kind}{division}{serial}"
    return body + check_character(body)
