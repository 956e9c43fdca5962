"""Refusals keyed by field that keep their error code.

`ValidationError({field: message}, code=...)` silently drops the code, yet the API and the pages
tell refusals apart by it, so every service builds field errors here.
"""

from django.core.exceptions import ValidationError


def field_error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})
