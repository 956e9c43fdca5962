"""call_service(): a domain refusal becomes inline form errors and the input is kept."""

import pytest
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError

from web.workflows import call_service


class PlotForm(forms.Form):
    code = forms.CharField()
    note = forms.CharField(required=False)


def plot_name(*, code: str, note: str = "") -> str:
    """A stand-in domain service: refuses some codes the way the real services do."""
    if code == "taken":
        raise ValidationError({"code": ValidationError("This plot is taken.", code="taken")})
    if code == "closed":
        raise ValidationError("The project is closed.", code="closed")
    if code == "elsewhere":
        raise ValidationError({"community": ValidationError("Not your community.", code="community")})
    if code == "forbidden":
        raise PermissionDenied("Only residents may claim.")
    return f"plot {code} ({note})"


def submitted(**data) -> PlotForm:
    form = PlotForm(data)
    assert form.is_valid()
    return form


def test_the_service_result_comes_back_when_it_succeeds():
    form = submitted(code="P01", note="by the gate")
    assert call_service(form, plot_name, **form.cleaned_data) == "plot P01 (by the gate)"
    assert form.errors == {}


def test_a_field_error_shows_on_that_field_and_the_input_is_kept():
    form = submitted(code="taken", note="by the gate")
    assert call_service(form, plot_name, **form.cleaned_data) is None
    assert form.errors == {"code": ["This plot is taken."]}
    assert form["note"].value() == "by the gate"
    assert form["code"].value() == "taken"


def test_an_error_without_a_field_shows_at_the_top():
    form = submitted(code="closed")
    assert call_service(form, plot_name, **form.cleaned_data) is None
    assert form.non_field_errors() == ["The project is closed."]


def test_an_error_on_a_field_the_form_lacks_shows_at_the_top():
    form = submitted(code="elsewhere")
    call_service(form, plot_name, **form.cleaned_data)
    assert form.non_field_errors() == ["Not your community."]


def test_a_permission_refusal_is_not_caught_so_it_becomes_the_403_page():
    form = submitted(code="forbidden")
    with pytest.raises(PermissionDenied):
        call_service(form, plot_name, **form.cleaned_data)


def test_the_form_include_links_errors_to_their_fields():
    from django.template.loader import render_to_string

    form = submitted(code="taken")
    call_service(form, plot_name, **form.cleaned_data)
    html = render_to_string("web/form.html", {"form": form})
    assert '<label for="id_code">' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_code_error"' in html
    assert 'id="id_code_error"' in html
    assert 'role="alert"' in html


class DutyForm(forms.Form):
    due_on = forms.DateField(widget=forms.HiddenInput)
    evidence = forms.CharField()


def test_an_error_on_a_hidden_field_shows_at_the_top_of_every_form():
    from django.template.loader import render_to_string

    form = DutyForm({"due_on": "2025-03-01", "evidence": "Signed sheet"})
    assert form.is_valid()
    form.add_error("due_on", "This occurrence has already been completed.")

    html = render_to_string("web/form.html", {"form": form})

    top = html.split('class="form-errors"', 1)[1].split("</div>", 1)[0]
    assert "This occurrence has already been completed." in top
    assert 'value="2025-03-01"' in html and 'value="Signed sheet"' in html
