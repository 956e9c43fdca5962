"""Refusals keyed by field that keep their code: ValidationError({field: message}, code=...) drops it."""
from django.core.exceptions import ValidationError


def field_error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})
