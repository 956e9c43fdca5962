"""Files sent with an application: checked as report attachments are, stored with it, or nothing is written."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from coproduction.models import Application, ApplicationAttachment
from coproduction.services.selection import application_submit
from tests.coproduction.conftest import manager_of
from tests.coproduction.report_fixtures import exe_named_pdf, media, pdf, png, stored_files
from tests.factories import CallFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def apply(organisation, **overrides):
    arguments = {
        "call": CallFactory(),
        "organisation": organisation,
        "user": manager_of(organisation),
        "proposal": "Weekly weeding and watering.",
        "proposed_budget": Decimal("50000.00"),
        **overrides,
    }
    return application_submit(**arguments)


def test_an_application_keeps_its_files_with_their_checked_types(media):
    application = apply(OrganisationFactory(), attachments=[pdf("plan.pdf"), png("team.png")])

    files = list(application.attachments.order_by("pk").values_list("original_name", "content_type"))
    assert files == [("plan.pdf", "application/pdf"), ("team.png", "image/png")]
    assert AuditEntry.objects.filter(content_type__model="applicationattachment").count() == 2
    assert len(stored_files(media)) == 2


def test_a_file_that_is_not_what_its_name_says_is_refused_and_nothing_is_written(media):
    with pytest.raises(ValidationError) as caught:
        apply(OrganisationFactory(), attachments=[pdf(), exe_named_pdf()])

    assert [error.code for error in caught.value.error_dict["attachments"]] == ["file_type"]
    assert not Application.objects.exists() and not ApplicationAttachment.objects.exists()
    assert not stored_files(media)


def test_more_than_ten_files_are_refused(media):
    with pytest.raises(ValidationError) as caught:
        apply(OrganisationFactory(), attachments=[pdf(f"{number}.pdf") for number in range(11)])

    [error] = caught.value.error_dict["attachments"]
    assert error.code == "too_many_files" and error.message == "An application may have at most 10 attachments."
    assert not Application.objects.exists()


def test_a_refusal_on_the_proposal_and_a_file_lists_both(media):
    with pytest.raises(ValidationError) as caught:
        apply(OrganisationFactory(), proposal=" ", attachments=[exe_named_pdf()])

    assert set(caught.value.error_dict) == {"proposal", "attachments"}
