"""Numbers as people read them: amounts in yuan and hours, grouped by thousands in every language."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import cast

from django.utils import numberformat


def grouped(value, decimal_pos: int | None = None) -> str | None:
    """The number with its thousands grouped by commas, as both of the platform's languages write amounts.

    With decimal_pos None, as many decimals as it has, at most two (hours: 7.5, 12); None for no number.

    Django's Chinese number format groups by nothing (80000.00), and turning grouping on for the
    whole site would put commas into the ids of URLs and forms; so only the figures read as
    amounts are grouped, here.
    """
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite():
        return None
    if number.is_zero():
        number = abs(number)  # never "-0.00"
    if decimal_pos is None:
        number = number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
        decimal_pos = max(0, -cast(int, number.as_tuple().exponent))  # a finite number's exponent is an int
    else:
        number = number.quantize(Decimal(1).scaleb(-decimal_pos), rounding=ROUND_HALF_UP)
    return numberformat.format(number, ".", decimal_pos, grouping=3, thousand_sep=",", force_grouping=True)


def yuan(value) -> str | None:
    """An amount with the yuan sign and two decimals: 80000 -> ¥80,000.00; None for no number."""
    figure = grouped(value, 2)
    if figure is None:
        return None
    return f"-¥{figure[1:]}" if figure.startswith("-") else f"¥{figure}"
