"""The notification centre's pages: the list, opening one, preferences, and the unsubscribe link of a mail."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from notifications.kinds import KINDS, kind_label, render_title
from notifications.mail import read_unsubscribe_token
from notifications.models import EmailChoice, Notification
from notifications.selectors import email_choices, kinds_for, notifications_of
from notifications.services.preferences import language_remember, preferences_save, unsubscribe
from notifications.services.reading import notification_mark_read, notifications_mark_all_read
from partners.roles import roles_of

PER_PAGE = 20


def _shell(request: HttpRequest) -> str:
    """The residents' phone shell for a person who is only a resident, the common one for everyone else."""
    return "notifications/shell_resident.html" if roles_of(request.user) == {"resident"} else "notifications/shell.html"


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    if kind not in KINDS:
        kind = ""
    unread = request.GET.get("unread") == "1"
    page = Paginator(notifications_of(request.user, kind=kind, unread=unread), PER_PAGE).get_page(
        request.GET.get("page")
    )
    items = [{"notification": n, "title": render_title(n.kind, n.params), "label": kind_label(n.kind)} for n in page]
    context = {
        "shell": _shell(request),
        "page_obj": page,
        "items": items,
        "kinds": kinds_for(request.user),
        "kind": kind,
        "unread": unread,
    }
    return render(request, "notifications/list.html", context)


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go to what it is about."""
    try:
        notification = notification_mark_read(user=request.user, notification_id=pk)
    except Notification.DoesNotExist as missing:
        raise Http404 from missing
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect("notifications:list")
    return redirect(target)


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_all_read(user=request.user)
    messages.success(request, _("%(count)s notifications marked read.") % {"count": count})
    return redirect("notifications:list")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    kinds = kinds_for(request.user)
    current = email_choices(request.user, kinds)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        submitted = {kind.code: request.POST.get(f"email-{kind.code}", "") for kind in kinds}
        try:
            preferences_save(user=request.user, choices=submitted)
        except ValidationError as error:
            errors = error.message_dict
            current = submitted  # what the person chose stays on the page
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:preferences")
    rows = [{"kind": kind, "choice": current.get(kind.code, ""), "errors": errors.get(kind.code, [])} for kind in kinds]
    context = {"shell": _shell(request), "rows": rows, "choices": EmailChoice.choices, "has_errors": bool(errors)}
    return render(request, "notifications/preferences.html", context, status=400 if errors else 200)


# No CSRF token: a mail client's one-click unsubscribe (RFC 8058) posts without one, and the signed token is the
# authority. A GET only shows the confirmation, so that a mail scanner following links unsubscribes no one.
@csrf_exempt
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    if request.method != "POST":
        try:
            _user_id, code = read_unsubscribe_token(token)
        except (signing.BadSignature, KeyError, ValueError, TypeError):
            code = ""
        if code not in KINDS:
            error = _("This unsubscribe link is not valid. Open the preferences page instead.")
            return render(request, "notifications/unsubscribe.html", {"error": error}, status=400)
        return render(request, "notifications/unsubscribe.html", {"token": token, "kind": KINDS[code], "done": False})
    try:
        _person, kind = unsubscribe(token=token)
    except ValidationError as error:
        return render(request, "notifications/unsubscribe.html", {"error": error.messages[0]}, status=400)
    return render(request, "notifications/unsubscribe.html", {"done": True, "kind": kind})


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, which also remembers a signed-in person's choice for the mail they get."""
    response = django_set_language(request)
    if request.method == "POST" and request.user.is_authenticated and response.status_code in (200, 302):
        language_remember(user=request.user, language=request.POST.get("language", ""))
    return response
