"""Each admin page of the platform's models is registered once, by the app that owns the model or, for
the pages that combine several apps' inlines, by the project: never registered again by a higher app."""

from django.apps import apps
from django.contrib import admin

from accountability.admin import DutyInline
from evaluation.admin import EvaluationInline, IndicatorInline

OWN_APPS = ["audit", "partners", "jobs", "services", "coproduction", "accountability", "evaluation"]
# The pages that show several apps' inlines, composed above every app.
COMPOSED = {"coproduction.Project", "services.ServiceListItem"}


def registered_by(model) -> str:
    return type(admin.site._registry[model]).__module__


def test_each_model_is_registered_by_its_own_apps_admin():
    elsewhere = {
        model._meta.label: registered_by(model)
        for app in OWN_APPS
        for model in apps.get_app_config(app).get_models()
        if model._meta.label not in COMPOSED
        and not registered_by(model).startswith(f"{apps.get_app_config(model._meta.app_label).name}.admin")
    }
    assert elsewhere == {}


def test_the_pages_combining_several_apps_are_registered_by_the_project():
    registered = {label: registered_by(apps.get_model(label)) for label in COMPOSED}
    assert registered == dict.fromkeys(COMPOSED, "config.admin")


def test_a_project_page_shows_the_duties_and_evaluations_and_an_item_page_its_indicators():
    project_inlines = admin.site._registry[apps.get_model("coproduction.Project")].inlines
    item_inlines = admin.site._registry[apps.get_model("services.ServiceListItem")].inlines
    assert DutyInline in project_inlines and EvaluationInline in project_inlines
    assert IndicatorInline in item_inlines


def test_no_admin_of_the_platform_builds_on_another_registered_page():
    """A registered admin subclassing another app's registered admin is a re-registration in disguise."""
    registered_classes = {type(model_admin) for model_admin in admin.site._registry.values()}
    chained = {
        model._meta.label: [base.__qualname__ for base in type(model_admin).__mro__[1:] if base in registered_classes]
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in OWN_APPS
    }
    assert {label: bases for label, bases in chained.items() if bases} == {}
