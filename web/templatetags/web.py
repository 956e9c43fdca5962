"""Template helpers shared by every page: `{% load web %}`.

For pagination links use Django's own `{% querystring page=page_obj.next_page_number %}`.
"""
from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def badge(value: str, label: str):
    """A status shown as text in a tinted box, never by colour alone:
    `{% badge project.stage project.get_stage_display %}` -> <span class="badge badge--operation">Operation</span>.
    site.css tints the usual values (open, active, accepted, returned, overdue, ...)."""
    return format_html('<span class="badge badge--{}">{}</span>', value, label)
