"""Expected refusals are logged on one line; server errors keep their traceback, and nothing prints twice."""

import logging
import sys

from common.log_filters import ClientErrorsOnOneLine


def _record(status_code: int) -> logging.LogRecord:
    try:
        raise PermissionError("refused")
    except PermissionError:
        record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Forbidden", (), sys.exc_info())
    record.status_code = status_code
    return record


def test_a_refusal_is_logged_without_its_traceback():
    record = _record(403)
    assert ClientErrorsOnOneLine().filter(record)
    assert record.exc_info is None
    assert "Traceback" not in logging.Formatter().format(record)


def test_a_server_error_keeps_its_traceback():
    record = _record(500)
    assert ClientErrorsOnOneLine().filter(record)
    assert "Traceback" in logging.Formatter().format(record)


def test_the_console_carries_the_filter_and_django_prints_through_it_alone():
    handler = next(h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler))
    assert any(isinstance(f, ClientErrorsOnOneLine) for f in handler.filters)
    assert logging.getLogger("django").handlers == []
    assert logging.getLogger("django").propagate
