"""Every form of the pages (dashboard, partner portal, resident portal) refuses a number, a date or a
text beyond the bounds of common.bounds with an error beside the field, never a server error.

The forms are found by walking the apps' form modules, and each field is probed by its kind: a new
form or field is covered without touching this file. On PostgreSQL, where an id or number beyond a
column is an error of the database rather than a miss, the probes reach its queries.
"""

import importlib
import inspect
import pkgutil
from datetime import date

import pytest
from django import forms

from accountability.models import Duty
from common.bounds import INTEGER_RANGE, MAX_FORM_TEXT, plausible_years
from coproduction.models import Application, Participation, Project
from partners.models import Community, Organisation
from service_list.models import ServiceListItem
from tests.factories import (
    ApplicationFactory,
    ComplaintFactory,
    CriterionFactory,
    DutyFactory,
    IndicatorFactory,
    ParticipationFactory,
)

pytestmark = pytest.mark.django_db

FORM_PACKAGES = ["dashboard.forms", "partner_portal.forms", "resident_portal.forms"]

HUGE = "99999999999999999999"  # beyond 64 bits: SQLite compares it, PostgreSQL cannot
FAR_DATE = "5735-06-27"
FAR_DATE_TIME = "5735-06-27T17:34"
ODD_OFFSET = "2026-06-27T17:34:02-23:16"
LONG_TEXT = "x" * (MAX_FORM_TEXT + 1)


def _modules(package: str):
    module = importlib.import_module(package)
    yield module
    for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
        yield importlib.import_module(f"{package}.{info.name}")


def form_classes() -> list[type[forms.BaseForm]]:
    """Every form class the pages' apps define, by its module, in a stable order."""
    found = {}
    for package in FORM_PACKAGES:
        for module in _modules(package):
            for name, value in vars(module).items():
                if inspect.isclass(value) and issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                    found[f"{module.__name__}.{name}"] = value
    return [found[key] for key in sorted(found)]


def _keyword_arguments(form_class) -> set[str]:
    """The keyword-only arguments the form's constructors (its own and its bases') require."""
    names = set()
    for klass in form_class.__mro__:
        init = vars(klass).get("__init__")
        if init is None or klass.__module__.startswith("django."):
            continue
        for parameter in inspect.signature(init).parameters.values():
            if parameter.kind is parameter.KEYWORD_ONLY and parameter.default is parameter.empty:
                names.add(parameter.name)
    return names


@pytest.fixture
def context() -> dict:
    """A value for every keyword a form's constructor takes: the rows its choices are drawn from."""
    participation = ParticipationFactory()
    project = participation.project
    application = ApplicationFactory()
    return {
        "communities": Community.objects.all(),
        "projects": Project.objects.all(),
        "project": project,
        "organisations": Organisation.objects.all(),
        "participations": Participation.objects.all(),
        "duties": Duty.objects.filter(pk=DutyFactory(project=project, accountable=participation).pk),
        "complaint": ComplaintFactory(project=project),
        "criteria": [CriterionFactory(call=application.call)],
        "ranking": list(Application.objects.select_related("organisation")),
        "judged": [IndicatorFactory()],
        "final_allowed": True,
        "item": ServiceListItem.objects.get(pk=project.service_item_id),
        "service_items": ServiceListItem.objects.all(),
    }


def _probes(field: forms.Field) -> list[str]:
    """The values beyond the bounds a field of this kind is sent."""
    if isinstance(field, forms.ModelChoiceField):
        return [HUGE, str(INTEGER_RANGE[1] + 1)]  # an id no key holds, and one just past a plain column
    if isinstance(field, forms.IntegerField):  # and DecimalField, FloatField
        return [HUGE, str(INTEGER_RANGE[1] + 1), str(INTEGER_RANGE[0] - 1)]
    if isinstance(field, forms.DateTimeField):
        return [FAR_DATE_TIME, ODD_OFFSET]
    if isinstance(field, forms.DateField):
        first, last = plausible_years()
        return [FAR_DATE, str(date(first - 1, 12, 31)), str(date(last + 1, 1, 1))]
    if isinstance(field, forms.CharField):
        return [LONG_TEXT]
    return []


def _cases() -> list:
    return [
        pytest.param(form_class, id=f"{form_class.__module__}.{form_class.__name__}") for form_class in form_classes()
    ]


def test_the_walk_finds_the_forms_of_every_pages_app():
    modules = {form_class.__module__.split(".")[0] for form_class in form_classes()}
    assert modules == {"dashboard", "partner_portal", "resident_portal"}


@pytest.mark.parametrize("form_class", _cases())
def test_every_field_refuses_values_beyond_its_bounds_with_an_error_beside_it(form_class, context):
    missing = _keyword_arguments(form_class) - set(context)
    assert not missing, f"give the context fixture a value for {missing}"
    arguments = {name: context[name] for name in _keyword_arguments(form_class)}
    accepted = []
    for name, field in form_class(**arguments).fields.items():
        for value in _probes(field):
            form = form_class({form_class(**arguments).add_prefix(name): value}, **arguments)
            if name not in form.errors:
                accepted.append((name, value[:30]))
    assert not accepted, f"{form_class.__name__} took {accepted}"


def test_a_text_field_as_long_as_the_bound_is_taken():
    field = forms.CharField()
    assert field.clean("x" * MAX_FORM_TEXT) == "x" * MAX_FORM_TEXT


def test_a_text_field_that_names_its_own_length_keeps_it():
    assert forms.CharField(max_length=20).max_length == 20
    assert forms.CharField(max_length=None).max_length == MAX_FORM_TEXT  # a model's long text


def test_a_number_field_that_names_its_own_bounds_keeps_them():
    field = forms.IntegerField(min_value=0, max_value=100)
    assert (field.min_value, field.max_value) == (0, 100)
    assert forms.DecimalField(decimal_places=2).max_value == INTEGER_RANGE[1]


@pytest.mark.parametrize("value", ["2000-01-01", "2100-12-31"])
def test_a_date_at_the_edges_of_the_plausible_years_is_taken(value):
    assert forms.DateField().clean(value) == date.fromisoformat(value)


def test_a_far_date_is_refused_with_the_plausible_years(settings):
    settings.PLAUSIBLE_YEARS = (2020, 2030)
    with pytest.raises(forms.ValidationError) as refused:
        forms.DateField().clean("2031-01-01")
    assert "2020" in refused.value.messages[0]


def test_a_date_time_with_an_odd_offset_is_refused():
    with pytest.raises(forms.ValidationError) as refused:
        forms.DateTimeField().clean(ODD_OFFSET)
    assert refused.value.code == "invalid"
    assert "UTC offset" in refused.value.messages[0]
