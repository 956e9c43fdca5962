"""The demo obeys the platform's own rules and reads as a real community's records: no award beyond its
budget, no reason that the figures contradict, no English or codes in what people wrote."""

import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models, transaction

from coproduction.models import Call, CallStatus, Contribution, ContributionKind

pytestmark = pytest.mark.django_db

OWN_APPS = ["partners", "services", "coproduction", "accountability", "evaluation"]
# Fields that hold codes, identifiers, stored names or machine data rather than words people wrote.
NOT_PROSE = {
    "code",
    "username",
    "email",
    "password",
    "first_name",
    "last_name",
    "phone",
    "credit_code",
    "number",
    "original_name",
    "fingerprint",
    "kwargs",
    "error",
    "subject_key",
    "rule",
    "content_type",
    "file",
    "image",
    "photo",
    "job",
    "task",
}
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def test_no_call_is_awarded_beyond_its_projects_budget(demo):
    awarded = Call.objects.filter(status=CallStatus.AWARDED).select_related("project", "awarded_application")

    assert awarded.exists()
    assert [
        (call.title, call.awarded_application.proposed_budget, call.project.budget)
        for call in awarded
        if call.awarded_application.proposed_budget > call.project.budget
    ] == []


def test_an_award_said_to_be_within_budget_is(demo):
    within_budget = Call.objects.filter(award_reason__contains="预算范围内")
    for call in within_budget.select_related("project", "awarded_application"):
        assert call.awarded_application.proposed_budget <= call.project.budget, call.title


def test_open_calls_ask_for_bids_a_real_applicant_could_win_with(demo):
    # An applicant bids for the project's budget: a bid far beyond it could never be awarded.
    for call in Call.objects.filter(status__in=[CallStatus.OPEN, CallStatus.REVIEWING]).select_related("project"):
        for application in call.applications.all():
            assert application.proposed_budget <= call.project.budget * 2, (call.title, application.proposed_budget)


def test_labour_is_valued_in_yuan_and_counted_in_hours(demo):
    labour = Contribution.objects.filter(kind=ContributionKind.LABOUR_HOURS)

    assert labour.exists()
    for contribution in labour:
        assert contribution.unit == "小时"
        assert contribution.value > contribution.quantity  # yuan at an hourly rate, not the hours themselves
        assert "小时" in str(contribution) and "¥" in str(contribution)


def test_what_people_wrote_is_in_chinese(demo):
    english = []
    for app in OWN_APPS:
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.concrete_fields:
                prose = isinstance(field, models.CharField | models.TextField) and not field.choices
                if not prose or field.name in NOT_PROSE:
                    continue
                for value in model.objects.exclude(**{field.name: ""}).values_list(field.name, flat=True):
                    if value and ENGLISH_WORD.search(str(value)):
                        english.append((model.__name__, field.name, value))
    assert english == []
