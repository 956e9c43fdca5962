"""Template tags of the partner portal's pages."""

from django import template

from partner_portal.views.tokens import may_hold_token

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_may_hold_token(context) -> bool:
    """Whether the navigation offers the API token page: the rule the page itself applies."""
    request = context.get("request")
    return request is not None and may_hold_token(request)
