"""Settings come from the environment and are safe in production."""

import os
import subprocess
import sys
from pathlib import Path

from django.core.management.utils import get_random_secret_key

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **environment):
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY"}}
    env.update(environment)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": get_random_secret_key() + get_random_secret_key(),
    "ALLOWED_HOSTS": "coproduction.example.org",
}
# What production promises (SECURITY.md): secure, same-site cookies, HTTPS with HSTS, a lockout, a CSP.
SHOW_HARDENING = """
from django.conf import settings as s
from django.middleware.csrf import CsrfViewMiddleware
print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY)
print(s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SAMESITE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)
print(s.AUTHENTICATION_BACKENDS[0], s.MIDDLEWARE[-1], "csp.middleware.CSPMiddleware" in s.MIDDLEWARE)
print(s.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"], s.AXES_FAILURE_LIMIT, s.AXES_LOCKOUT_PARAMETERS)
"""


def test_check_deploy_is_clean_with_production_values():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr

    result = run_manage("shell", "--no-imports", "-c", SHOW_HARDENING, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "True True True True",
        "Lax Lax True 31536000",
        "axes.backends.AxesStandaloneBackend axes.middleware.AxesMiddleware True",
        "[\"'self'\"] 5 [['username', 'ip_address']]",
    ]


def test_a_secret_key_may_start_with_a_dollar_sign():
    result = run_manage("check", DEBUG="0", SECRET_KEY="$" + get_random_secret_key())
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_defaults_are_the_embedded_set_up(settings):
    assert settings.TIME_ZONE == "Asia/Shanghai"
    if not os.environ.get("DATABASE_URL"):
        assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    if not os.environ.get("REDIS_URL") and not os.environ.get("CELERY_BROKER_URL"):
        assert settings.CELERY_BROKER_URL == "filesystem://"


def test_jobs_are_acknowledged_late_and_requeued_when_a_worker_dies(settings):
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
    if settings.CELERY_BROKER_URL.startswith("redis"):
        # Minutes, not hours: above the longest job, and above the lease a redelivered job waits out at most.
        timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
        assert settings.JOB_LEASE_SECONDS < timeout <= 3600
