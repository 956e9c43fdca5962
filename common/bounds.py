"""Bounds every API and page input is held to before it reaches a query or a write: plausible dates,
valid UTC offsets, whole numbers a column holds, text of bounded length and JSON of bounded depth.

A value beyond them is refused at the edge, as a 400 naming the field or as a form error beside its
input; without them PostgreSQL (or Python's date arithmetic) refuses it later, as a server error.
"""

import json
from datetime import date, datetime, timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ParseError
from rest_framework.filters import SearchFilter
from rest_framework.parsers import JSONParser

# The widest UTC offset in use anywhere (Kiribati, +14:00); Python takes up to 24 hours.
MAX_UTC_OFFSET = timedelta(hours=14)
# The range of a plain integer column (IntegerField): a plain serializer field that names no
# bounds of its own is held to it, the narrowest column a whole number of the API is stored in.
# A field that takes a row's id (a bigint key) says so with max_value=common.api.MAX_ID.
INTEGER_RANGE = (-(2**31), 2**31 - 1)
# The length of a page's text field that names none of its own (a narrative, a reason): more than
# anyone types into a form, and the most PostgreSQL is asked to store or compare from one input.
MAX_FORM_TEXT = 10_000
# The longest ?search= of a list: longer than any name or title searched for; each word of it is
# one more LIKE over every searched column.
MAX_SEARCH_LENGTH = 200
# Deeper nesting than any body of the API has; Python's parser recurses once per level.
MAX_JSON_DEPTH = 32


def plausible_years() -> tuple[int, int]:
    return getattr(settings, "PLAUSIBLE_YEARS", (2000, 2100))


def date_error(value) -> str | None:
    """Why a parsed date or date-time is refused, or None: a year outside the plausible window, an odd offset."""
    if isinstance(value, slice):
        return date_error(value.start) or date_error(value.stop)
    if not isinstance(value, date):
        return None
    first, last = plausible_years()
    if not first <= value.year <= last:
        return _("Give a date between the years %(first)s and %(last)s.") % {"first": first, "last": last}
    offset = value.utcoffset() if isinstance(value, datetime) else None
    if offset is not None and abs(offset) > MAX_UTC_OFFSET:
        return _("Give a UTC offset between -14:00 and +14:00.")
    return None


def _parsed_then_bounded(parse, invalid=serializers.ValidationError):
    """A field's parse method that also refuses an odd offset, a date the calendar cannot shift and a
    year outside the plausible window, raising `invalid` (DRF's or Django's ValidationError)."""

    def to_python(self, value):
        try:
            # The offset as sent: the parsed value is already shifted to the platform's time zone.
            sent = parse_datetime(value.strip()) if isinstance(value, str) else None
            if sent is not None and sent.utcoffset() is not None and abs(sent.utcoffset()) > MAX_UTC_OFFSET:
                raise invalid(_("Give a UTC offset between -14:00 and +14:00."), code="invalid")
            parsed = parse(self, value)
        except (OverflowError, ValueError) as error:
            # Python's own range (year 1 to 9999 once shifted to UTC) is narrower than what it parses.
            raise invalid(_("Give a date the calendar holds."), code="invalid") from error
        refusal = date_error(parsed)
        if refusal:
            raise invalid(refusal, code="implausible_date")
        return parsed

    return to_python


def _integer_field_init(original):
    def __init__(self, *args, **kwargs):
        if not kwargs.get("read_only"):
            kwargs.setdefault("min_value", INTEGER_RANGE[0])
            kwargs.setdefault("max_value", INTEGER_RANGE[1])
        original(self, *args, **kwargs)

    return __init__


def bound_serializer_fields() -> None:
    """Hold DRF's date, date-time and integer fields, in model and plain serializers alike, to the bounds.

    Done once on DRF's own field classes so that no serializer of any app can forget it. A model
    serializer's integer fields already carry their column's range (from the model field's
    validators) and keep it: only a bound the field does not name is filled in.
    """
    if getattr(serializers.DateField, "_bounded", False):
        return
    # Patching the library's classes is the point here, which a type checker rightly questions.
    serializers.DateField.to_internal_value = _parsed_then_bounded(  # type: ignore[method-assign]
        serializers.DateField.to_internal_value
    )
    serializers.DateTimeField.to_internal_value = _parsed_then_bounded(  # type: ignore[method-assign]
        serializers.DateTimeField.to_internal_value
    )
    serializers.IntegerField.__init__ = _integer_field_init(  # type: ignore[method-assign]
        serializers.IntegerField.__init__
    )
    serializers.DateField._bounded = True  # type: ignore[attr-defined]


def _form_number_init(original):
    def __init__(self, *args, **kwargs):
        # DecimalField and FloatField pass their bounds on explicitly, as None when the form names none.
        if kwargs.get("min_value") is None:
            kwargs["min_value"] = INTEGER_RANGE[0]
        if kwargs.get("max_value") is None:
            kwargs["max_value"] = INTEGER_RANGE[1]
        original(self, *args, **kwargs)

    return __init__


def _form_text_init(original):
    def __init__(self, *args, **kwargs):
        # A model's long text (TextField) passes max_length=None: it is held to the bound as well.
        if kwargs.get("max_length") is None:
            kwargs["max_length"] = MAX_FORM_TEXT
        original(self, *args, **kwargs)

    return __init__


def bound_form_fields() -> None:
    """Hold Django's form fields (the pages' forms, the admin's, the API's filters) to the bounds.

    Done once on Django's own field classes, as bound_serializer_fields does for DRF's, so that no
    form of any app can forget it: a number, decimal or not, within INTEGER_RANGE unless the field
    names its own bounds; a date or date-time within the plausible years and offsets; text no longer
    than MAX_FORM_TEXT unless the field names a length of its own. Each refusal is a form error
    beside the field's input, where a page re-renders the form with what was typed.
    """
    if getattr(forms.DateField, "_bounded", False):
        return
    # Patching the library's classes is the point here, which a type checker rightly questions.
    forms.DateField.to_python = _parsed_then_bounded(  # type: ignore[method-assign]
        forms.DateField.to_python, ValidationError
    )
    forms.DateTimeField.to_python = _parsed_then_bounded(  # type: ignore[method-assign]
        forms.DateTimeField.to_python, ValidationError
    )
    forms.IntegerField.__init__ = _form_number_init(forms.IntegerField.__init__)  # type: ignore[method-assign]
    forms.CharField.__init__ = _form_text_init(forms.CharField.__init__)  # type: ignore[method-assign]
    forms.DateField._bounded = True  # type: ignore[attr-defined]


def too_deep(text: str) -> bool:
    """Whether a JSON text nests arrays and objects deeper than MAX_JSON_DEPTH, judged without parsing it."""
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:
        # Too few brackets to be too deep (the usual body): no need to walk it character by character.
        return False
    depth = 0
    in_string = escaped = False
    for character in text:
        if in_string:
            if escaped:
                escaped = False
            elif character == "\\":
                escaped = True
            elif character == '"':
                in_string = False
        elif character == '"':
            in_string = True
        elif character in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return True
        elif character in "]}":
            depth -= 1
    return False


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser, refusing a body nested deeper than MAX_JSON_DEPTH before Python's parser
    recurses into it. (A body larger than DATA_UPLOAD_MAX_MEMORY_SIZE is refused as it is read, by
    Django: common.api's exception handler answers that in the error shape.)"""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding)
        except UnicodeDecodeError as error:
            raise ParseError(_("The body is not valid %(encoding)s.") % {"encoding": encoding}) from error
        if too_deep(text):
            raise ParseError(
                _("The body is nested deeper than %(depth)s levels.") % {"depth": MAX_JSON_DEPTH}, code="too_deep"
            )
        try:
            return json.loads(text, parse_constant=_refuse_constant)
        except (ValueError, RecursionError) as error:
            raise ParseError(_("The body is not valid JSON.")) from error


def _refuse_constant(name: str):
    # NaN and Infinity are not JSON, though Python's parser takes them.
    raise ValueError(name)


def column_length(model, field_name: str) -> int:
    """The length a model's text column holds, for a plain serializer's field that is written to it."""
    return model._meta.get_field(field_name).max_length


class BoundedSearchFilter(SearchFilter):
    """DRF's ?search=, refusing a search longer than MAX_SEARCH_LENGTH as a 400 on the parameter."""

    def get_search_terms(self, request):
        search = request.query_params.get(self.search_param, "")
        if len(search) > MAX_SEARCH_LENGTH:
            raise serializers.ValidationError(
                {self.search_param: [_("Search for at most %(count)s characters.") % {"count": MAX_SEARCH_LENGTH}]},
                code="max_length",
            )
        return super().get_search_terms(request)
