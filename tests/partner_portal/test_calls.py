"""Open calls: which ones our organisations may apply to (the domain's rule), applying, withdrawing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from coproduction.models import Application, ApplicationStatus
from partners.models import OrganisationKind, OrganisationStatus
from tests import factories
from tests.pages import manager_of, queries_to_get, resident_user_of, staff_of

pytestmark = pytest.mark.django_db
CALLS = reverse("partner_portal:calls")


def apply_url(call):
    return reverse("partner_portal:apply", args=[call.pk])


@pytest.fixture
def call():
    return factories.CallFactory(title="Dining hall operator", project__service_item__allows_enterprise=False)


@pytest.fixture
def ngo():
    return factories.OrganisationFactory(name="Sunshine NGO", kind=OrganisationKind.NGO)


def test_managers_see_open_calls_and_which_organisations_may_apply(client, call, ngo):
    enterprise = factories.OrganisationFactory(name="Tasty Ltd", kind=OrganisationKind.ENTERPRISE)
    user = manager_of(ngo)
    factories.MembershipFactory(user=user, organisation=enterprise, role="manager")
    factories.CallFactory(title="Closed already", deadline=timezone.now() - timedelta(days=1))
    client.force_login(user)

    response = client.get(CALLS)

    [listed] = response.context["calls"]
    assert listed == call and listed.may_apply
    refusals = {row["organisation"].name: row["refusal"] for row in listed.eligibility}
    assert refusals["Sunshine NGO"] == ""
    assert "may not be delivered by organisations of the kind “Enterprise”" in refusals["Tasty Ltd"]
    html = response.content.decode()
    assert "Dining hall operator" in html and "Closed already" not in html and apply_url(call) in html


def test_a_suspended_organisation_is_told_it_may_not_apply(client, call):
    client.force_login(manager_of(factories.OrganisationFactory(status=OrganisationStatus.SUSPENDED)))
    [listed] = client.get(CALLS).context["calls"]
    assert not listed.may_apply and "suspended" in listed.eligibility[0]["refusal"]


def test_staff_who_are_not_managers_read_the_calls_without_applying(client, call, ngo):
    client.force_login(staff_of(ngo))
    response = client.get(CALLS)
    assert "Only a manager of an organisation may apply" in response.content.decode()
    assert apply_url(call) not in response.content.decode()
    assert client.get(apply_url(call)).status_code == 403


def test_a_manager_applies_for_their_organisation(client, call, ngo):
    user = manager_of(ngo)
    client.force_login(user)

    response = client.post(
        apply_url(call), {"organisation": ngo.pk, "proposal": "Five days a week.", "proposed_budget": "80000"}
    )

    assert response.status_code == 302 and response.url == CALLS
    application = Application.objects.get()
    assert (application.call, application.organisation, application.submitted_by) == (call, ngo, user)


def test_an_application_without_a_proposal_is_refused_inline_with_the_budget_kept(client, call, ngo):
    client.force_login(manager_of(ngo))

    response = client.post(apply_url(call), {"organisation": ngo.pk, "proposal": " ", "proposed_budget": "80000"})

    assert response.context["form"].errors["proposal"] == ["Describe how you would deliver the service."]
    assert 'value="80000"' in response.content.decode()
    assert not Application.objects.exists()


def test_an_organisation_of_a_kind_not_allowed_is_refused_on_the_organisation_field(client, call):
    enterprise = factories.OrganisationFactory(kind=OrganisationKind.ENTERPRISE)
    client.force_login(manager_of(enterprise))

    response = client.post(
        apply_url(call), {"organisation": enterprise.pk, "proposal": "We cook.", "proposed_budget": "1"}
    )

    refusal = response.context["form"].errors["organisation"][0]
    assert "may not be delivered by organisations of the kind “Enterprise”" in refusal
    assert not Application.objects.exists()


def test_a_manager_withdraws_a_submitted_application(client, call, ngo):
    user = manager_of(ngo)
    application = factories.ApplicationFactory(call=call, organisation=ngo)
    client.force_login(user)
    assert reverse("partner_portal:withdraw", args=[application.pk]) in client.get(CALLS).content.decode()

    response = client.post(reverse("partner_portal:withdraw", args=[application.pk]))

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert AuditEntry.objects.filter(object_id=str(application.pk), action="change").exists()


def test_withdrawing_after_the_deadline_is_refused_with_a_message(client, ngo):
    application = factories.ApplicationFactory(organisation=ngo, call__deadline=timezone.now() + timedelta(days=1))
    application.call.deadline = timezone.now() - timedelta(minutes=1)
    application.call.save(update_fields=["deadline"])
    client.force_login(manager_of(ngo))

    response = client.post(reverse("partner_portal:withdraw", args=[application.pk]), follow=True)

    assert "Applications closed at the deadline." in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_another_organisations_application_is_not_found(client, call, ngo):
    application = factories.ApplicationFactory(call=call)
    client.force_login(manager_of(ngo))
    assert client.post(reverse("partner_portal:withdraw", args=[application.pk])).status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_residents_may_not_open_the_calls(client, call):
    client.force_login(resident_user_of(call.project.community))
    assert client.get(CALLS).status_code == 403


def manager_with_calls(count):
    organisation = factories.OrganisationFactory()
    for call in factories.CallFactory.create_batch(count):
        factories.ApplicationFactory(call=call, organisation=organisation)
    return manager_of(organisation)


def test_the_calls_page_makes_as_many_queries_for_30_calls_as_for_3(client):
    client.force_login(manager_with_calls(3))
    few = queries_to_get(client, CALLS)
    client.force_login(manager_with_calls(30))
    assert queries_to_get(client, CALLS) == few
