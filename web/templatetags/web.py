"""Template helpers shared by every page: `{% load web %}`.

For pagination links use Django's own `{% querystring page=page_obj.next_page_number %}`.
"""

from django import template
from django.utils.html import format_html

from common.numbers import grouped, yuan

register = template.Library()


@register.simple_tag
def badge(value: str, label: str):
    """A status shown as text in a tinted box, never by colour alone:
    `{% badge project.stage project.get_stage_display %}` -> <span class="badge badge--operation">Operation</span>.
    site.css tints the usual values (open, active, accepted, returned, overdue, ...)."""
    return format_html('<span class="badge badge--{}">{}</span>', value, label)


@register.filter
def money(value, style: str = ""):
    """An amount in yuan, grouped, with two decimals: `{{ 80000|money }}` -> ¥80,000.00 in every language.

    `{{ amount|money:"bare" }}` leaves the ¥ out, for a column or sentence that already says yuan.
    An empty amount shows as a dash.
    """
    if style == "bare":
        figure = grouped(value, 2)
        return "—" if figure is None else figure
    return yuan(value) or "—"


@register.filter
def hours(value):
    """A number of hours, grouped, with at most two decimals: `{{ 1234.5|hours }}` -> 1,234.5."""
    figure = grouped(value)
    return "—" if figure is None else figure
