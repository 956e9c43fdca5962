"""A manager's API token for their organisation's own systems: issue (shown once), replace, revoke."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from common.admin_workflows import refusal_text
from partner_portal.tokens import masked, token_issue, token_revoke
from web.access import staff_required, user_roles


def _page(request, *, new_key: str = ""):
    token = Token.objects.filter(user=request.user).first()
    return render(
        request,
        "partner_portal/token.html",
        {
            "token": token,
            "masked_key": masked(token.key) if token else "",
            "new_key": new_key,
            "api_root": request.build_absolute_uri(reverse("api-root")),
        },
    )


def may_hold_token(request) -> bool:
    """Managers hold API tokens (partner_portal.tokens): the page and the portal's navigation ask this."""
    return "manager" in user_roles(request)


@staff_required
def token(request):
    """GET shows the token masked; POST issues (the key is shown on this response only) or revokes."""
    if not may_hold_token(request):
        raise PermissionDenied(_("Only managers of an organisation may hold an API token."))
    if request.method != "POST":
        return _page(request)
    if request.POST.get("action") == "revoke":
        try:
            token_revoke(user=request.user)
        except ValidationError as refusal:
            messages.error(request, refusal_text(refusal))
        else:
            messages.success(request, _("Your API token was revoked; systems using it are now refused."))
        return redirect("partner_portal:token")
    issued = token_issue(user=request.user)
    return _page(request, new_key=issued.key)
