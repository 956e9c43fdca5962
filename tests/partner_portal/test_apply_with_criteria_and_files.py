"""Applying to a call: the call's scoring criteria are shown with the form, and files go with the application."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coproduction.models import Application, ApplicationAttachment
from partners.models import OrganisationKind
from tests import factories
from tests.pages import manager_of, official_of, staff_of

pytestmark = pytest.mark.django_db


def pdf(name="plan.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", content_type="application/pdf")


@pytest.fixture
def call():
    call = factories.CallFactory(title="Dining hall operator")
    factories.CriterionFactory(call=call, name="Experience", weight=60, description="Years running a canteen")
    factories.CriterionFactory(call=call, name="Price", weight=40)
    return call


@pytest.fixture
def ngo():
    return factories.OrganisationFactory(name="Sunshine NGO", kind=OrganisationKind.NGO)


def apply_url(call):
    return reverse("partner_portal:apply", args=[call.pk])


def test_the_form_shows_each_criterion_with_its_weight_and_scale(client, call, ngo):
    client.force_login(manager_of(ngo))

    html = client.get(apply_url(call)).content.decode()

    for text in ("Experience", "60%", "Years running a canteen", "Price", "40%", "0–100"):
        assert text in html
    assert html.index("Experience") < html.index("Price")
    assert 'enctype="multipart/form-data"' in html and 'id="id_attachments"' in html


def test_a_manager_applies_with_a_file_that_the_officials_can_download(client, call, ngo):
    client.force_login(manager_of(ngo))

    response = client.post(
        apply_url(call),
        {"organisation": ngo.pk, "proposal": "Five days a week.", "proposed_budget": "80000", "attachments": [pdf()]},
    )

    assert response.status_code == 302
    attachment = ApplicationAttachment.objects.get(application__organisation=ngo)
    assert (attachment.original_name, attachment.content_type) == ("plan.pdf", "application/pdf")
    url = reverse("partner_portal:application_attachment", args=[attachment.application_id, attachment.pk])
    download = client.get(url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    client.force_login(staff_of(factories.OrganisationFactory()))
    assert client.get(url).status_code == 404


def test_a_file_of_a_refused_type_is_refused_inline_and_no_application_is_made(client, call, ngo):
    client.force_login(manager_of(ngo))

    response = client.post(
        apply_url(call),
        {
            "organisation": ngo.pk,
            "proposal": "Five days a week.",
            "proposed_budget": "80000",
            "attachments": [SimpleUploadedFile("plan.pdf", b"MZ\x90\x00", "application/pdf")],
        },
    )

    assert response.status_code == 200
    assert "is not a file of an accepted type" in response.context["form"].errors["attachments"][0]
    assert response.context["form"]["proposal"].value() == "Five days a week."
    assert not Application.objects.exists() and not ApplicationAttachment.objects.exists()


def test_an_official_of_the_call_s_community_downloads_the_file_to_review_the_application(client, call, ngo):
    client.force_login(manager_of(ngo))
    client.post(
        apply_url(call), {"organisation": ngo.pk, "proposal": "Plan.", "proposed_budget": "1", "attachments": [pdf()]}
    )
    attachment = ApplicationAttachment.objects.get()
    official = official_of(call.project.community)
    client.force_login(official)

    url = reverse("partner_portal:application_attachment", args=[attachment.application_id, attachment.pk])
    assert client.get(url).status_code == 200
