"""The security log: failed sign-ins, lockouts and refused authorisations, on the logger
"coproduction.security".

Each record says who (user id and username, or "anonymous"; for a failed sign-in, the username
typed), what (the event and the reason), when (the record's time, also as `at` in UTC) and where
(method, path and client address). Passwords, tokens and cookies are never logged: a failed
sign-in records only the username field of the credentials.

Pages and the API share these functions: `SecurityLogMiddleware` logs every PermissionDenied a
page view raises (web.access's role checks and the domain services' refusals alike) and, being
listed in MIDDLEWARE, connects the sign-in receivers at start-up; the API's exception handler
(common.api) calls `log_refusal` for its 401 and 403 answers.
"""

import ipaddress
import logging

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.utils import timezone, translation

logger = logging.getLogger("coproduction.security")

# Typed text is cut to this length, so that a pasted blob cannot flood the log.
MAX_FIELD_LENGTH = 150


def client_ip(request) -> str | None:
    """The caller's address: REMOTE_ADDR, or the address the trusted proxies saw when PROXY_COUNT
    proxies stand in front (the entry they appended to X-Forwarded-For, which a client cannot forge).

    None when there is no valid address (a request built in code): axes stores the address in
    an inet column, and a header that is not an address must not be taken for one. Also axes'
    AXES_CLIENT_IP_CALLABLE, so that lockouts count the same address as this log.
    """
    request = getattr(request, "_request", request)  # a DRF Request wraps the HttpRequest
    proxies = settings.PROXY_COUNT
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if proxies and len(hops) >= proxies and _is_address(hops[-proxies]):
        return hops[-proxies]
    remote = request.META.get("REMOTE_ADDR", "")
    return remote if _is_address(remote) else None


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _typed(value) -> str:
    """Text a caller typed, cut short; logged with %r so that a newline cannot forge a record."""
    return str(value or "")[:MAX_FIELD_LENGTH]


def _who(user) -> str:
    if user is None or not user.is_authenticated:
        return "anonymous"
    return f"{user.pk}:{user.get_username()}"


def _where(request) -> dict:
    request = getattr(request, "_request", request)
    if request is None:
        return {"method": "", "path": "", "ip": "unknown"}
    return {"method": request.method, "path": _typed(request.path), "ip": client_ip(request) or "unknown"}


def _record(event: str, who: str, request, reason: str, level=logging.WARNING) -> None:
    fields = {"event": event, "who": who, **_where(request), "reason": reason, "at": timezone.now().isoformat()}
    logger.log(
        level,
        "%(event)s who=%(who)r %(method)s %(path)r ip=%(ip)s reason=%(reason)r",
        fields,
        extra={"security": fields},
    )


def log_refusal(request, status: int, reason) -> None:
    """A refused authorisation: 401 (not signed in, bad token) or 403 (signed in, not allowed).

    `reason` may be a lazy translation: it is logged in English, whatever the caller's language.
    """
    django_request = getattr(request, "_request", request)
    user = getattr(django_request, "user", None)
    with translation.override("en"):
        reason = _typed(reason)
    _record("access_refused", _who(user), request, f"{status} {reason}")


@receiver(user_login_failed, dispatch_uid="security_log_login_failed")
def log_login_failed(sender, credentials, request=None, **kwargs) -> None:
    """Django sends this for every failed authenticate(); only the username is read from the credentials."""
    username = credentials.get(get_user_model().USERNAME_FIELD, "")
    # axes' receiver runs first and marks a request it refused, or that reached the limit.
    reason = "locked out" if getattr(request, "axes_locked_out", False) else "bad credentials"
    _record("login_failed", _typed(username), request, reason)


@receiver(user_locked_out, dispatch_uid="security_log_locked_out")
def log_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    """axes sends this when a username and address reach AXES_FAILURE_LIMIT failures."""
    reason = f"{settings.AXES_FAILURE_LIMIT} failures, locked for {settings.AXES_COOLOFF_TIME}"
    _record("login_locked_out", _typed(username), request, reason, level=logging.ERROR)


class SecurityLogMiddleware:
    """Logs each PermissionDenied a page view raises, then lets Django answer it (the 403 page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            log_refusal(request, 403, exception.args[0] if exception.args else "permission denied")
        return None
