"""Admin list columns that show amounts and hours grouped by thousands, in every language, as the pages do."""

from django.contrib import admin

from common.numbers import grouped


def _column(model, field: str, decimal_pos: int | None):
    # The header is the field's own name, which already says its unit ("value (yuan)", "volunteer hours").
    @admin.display(description=model._meta.get_field(field).verbose_name, ordering=field)
    def column(self, obj):
        figure = grouped(getattr(obj, field), decimal_pos)
        return self.get_empty_value_display() if figure is None else figure

    return column


def money_column(model, field: str):
    """A list column of an amount in yuan, with two decimals: 80000 -> 80,000.00 (Django's Chinese
    format would show 80000.00)."""
    return _column(model, field, 2)


def hours_column(model, field: str):
    """A list column of hours (or another quantity), with at most two decimals: 1234.5 -> 1,234.5."""
    return _column(model, field, None)
