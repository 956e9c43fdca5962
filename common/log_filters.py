"""Logging filters: keep the console readable without hiding what needs a traceback."""

import logging


class ClientErrorsOnOneLine(logging.Filter):
    """An expected refusal (403, 404, any 4xx) is one line; only server errors keep their traceback.

    Django logs a PermissionDenied with its exception attached, so every refused page would
    otherwise print a full traceback though nothing went wrong on the server's side.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info, record.exc_text = None, None
        return True
