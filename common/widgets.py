"""Form widgets every interface shares."""

from django import forms


class IsoDateInput(forms.DateInput):
    """A browser date picker. Its value is always ISO (2026-12-07) whatever the page's language:
    the browser's date input shows nothing for a localised value such as 2026/12/07."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
