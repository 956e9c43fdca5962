"""The admin's workflow pages and actions go through the domain services, and show their refusals."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from accountability.models import (
    Breach,
    BreachStatus,
    ComplaintStatus,
    Duty,
    DutyAssignment,
    Inspection,
    InspectionResult,
    RaciRole,
    RiskStatus,
    Sanction,
)
from accountability.services.breaches import breach_resolve
from audit.models import AuditAction, AuditEntry
from coproduction.models import (
    ApplicationStatus,
    CallStatus,
    ConflictDeclaration,
    Participation,
    ReportEvent,
    ReportStatus,
)
from coproduction.services.reports import report_review
from evaluation.models import Indicator
from partners.models import OrganisationStatus
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    return factories.UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def url(obj, step):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{step}", args=[obj.pk])


def audited(obj, action=None):
    entries = AuditEntry.objects.filter(object_id=str(obj.pk), content_type__model=obj._meta.model_name)
    return entries.filter(action=action) if action else entries


# --- Partners ----------------------------------------------------------------------------------


def test_changing_an_organisations_status_goes_through_the_service(admin_client):
    organisation = factories.OrganisationFactory()
    response = admin_client.post(url(organisation, "status"), {"status": "suspended", "reason": "Repeated breaches"})
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.SUSPENDED
    assert audited(organisation, AuditAction.CHANGE).get().note == "Repeated breaches"


def test_setting_the_status_an_organisation_already_has_is_refused_on_the_form(admin_client):
    organisation = factories.OrganisationFactory()
    response = admin_client.post(url(organisation, "status"), {"status": "approved", "reason": "Checked"})
    assert response.status_code == 200
    assert "already" in response.content.decode()
    assert not audited(organisation).exists()


def test_the_organisation_change_form_does_not_edit_the_status(admin_client):
    organisation = factories.OrganisationFactory()
    response = admin_client.get(reverse("admin:partners_organisation_change", args=[organisation.pk]))
    assert 'name="status"' not in response.content.decode()
    assert url(organisation, "status") in response.content.decode()


# --- Projects ----------------------------------------------------------------------------------


def test_adding_a_contribution_goes_through_contribution_add(admin_client):
    participation = factories.ParticipationFactory(organisation__kind="government")
    response = admin_client.post(
        reverse("admin:coproduction_contribution_add"),
        {
            "participation": participation.pk,
            "kind": "money",
            "description": "",
            "quantity": "1",
            "unit": "",
            "value": "5000.00",
            "contributed_on": "2025-02-01",
        },
    )
    assert response.status_code == 302
    participation.project.refresh_from_db()
    assert participation.project.government_share == 1
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, content_type__model="contribution").exists()


# --- Selection ---------------------------------------------------------------------------------


def reviewed_call(totals):
    """A call past its deadline whose applications each have two reviews of the given total."""
    call = factories.CallFactory(deadline=timezone.now() - timedelta(days=1))
    factories.CriterionFactory(call=call, weight=100)
    applications = []
    for total in totals:
        application = factories.ApplicationFactory(call=call)
        factories.ReviewFactory.create_batch(2, application=application, total=total)
        applications.append(application)
    return call, applications


def test_awarding_a_call_goes_through_the_service(admin_client):
    call, (best, other) = reviewed_call([80, 60])
    response = admin_client.post(url(call, "award"), {"application": best.pk, "reason": "Best kitchen plan"})
    assert response.status_code == 302
    call.refresh_from_db()
    best.refresh_from_db()
    assert (call.status, call.awarded_application, best.status) == (CallStatus.AWARDED, best, ApplicationStatus.AWARDED)
    assert Participation.objects.filter(project=call.project, organisation=best.organisation).exists()
    assert audited(call, AuditAction.TRANSITION).exists()


def test_awarding_a_call_with_reviews_missing_is_refused_on_the_form(admin_client):
    call, (application,) = reviewed_call([80])
    factories.ApplicationFactory(call=call)
    response = admin_client.post(url(call, "award"), {"application": application.pk, "reason": "Only one ready"})
    assert response.status_code == 200
    assert "still missing" in response.content.decode()
    call.refresh_from_db()
    assert call.status == CallStatus.OPEN
    assert not Participation.objects.filter(project=call.project).exists()


def test_cancelling_a_call_goes_through_the_service(admin_client):
    call, (application,) = reviewed_call([70])
    response = admin_client.post(url(call, "cancel"), {"reason": "The budget was withdrawn"})
    assert response.status_code == 302
    call.refresh_from_db()
    application.refresh_from_db()
    assert (call.status, application.status) == (CallStatus.CANCELLED, ApplicationStatus.NOT_AWARDED)


def test_calls_and_applications_are_not_edited_in_the_admin(admin_client):
    call, (application,) = reviewed_call([70])
    for obj in (call, application):
        response = admin_client.post(url(obj, "change"), {"title": "Changed", "status": "awarded"})
        assert response.status_code == 403
    call.refresh_from_db()
    assert call.status == CallStatus.OPEN


def test_declaring_a_conflict_goes_through_the_service(admin_client, admin_user):
    organisation = factories.OrganisationFactory()
    response = admin_client.post(
        reverse("admin:coproduction_conflictdeclaration_add"),
        {
            "reviewer": admin_user.pk,
            "organisation": organisation.pk,
            "reason": "Former board member",
        },
    )
    assert response.status_code == 302
    conflict = ConflictDeclaration.objects.get()
    assert audited(conflict, AuditAction.CREATE).exists()


# --- Service reports ---------------------------------------------------------------------------


def test_accepting_a_report_goes_through_the_review_service(admin_client, admin_user):
    report = factories.ServiceReportFactory()
    response = admin_client.post(url(report, "accept"), {"comment": ""})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.reviewed_by) == (ReportStatus.ACCEPTED, admin_user)
    assert ReportEvent.objects.filter(report=report, kind="accepted").exists()
    assert audited(report, AuditAction.TRANSITION).exists()


def test_returning_a_report_keeps_the_comment(admin_client):
    report = factories.ServiceReportFactory()
    response = admin_client.post(url(report, "return"), {"comment": "Add the meal receipts"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.review_comment) == (ReportStatus.RETURNED, "Add the meal receipts")


def test_a_reviewer_working_for_the_provider_is_refused_on_the_form(admin_client, admin_user):
    report = factories.ServiceReportFactory()
    factories.MembershipFactory(user=admin_user, organisation=report.organisation)
    response = admin_client.post(url(report, "accept"), {"comment": ""})
    assert response.status_code == 200
    assert "another official must review" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert not ReportEvent.objects.exists()


def test_the_accept_action_accepts_submitted_reports_and_reports_the_others(admin_client, admin_user):
    submitted = factories.ServiceReportFactory()
    accepted = report_review(report=factories.ServiceReportFactory(), user=admin_user, accept=True)
    response = admin_client.post(
        reverse("admin:coproduction_servicereport_changelist"),
        {
            "action": "accept_selected",
            "_selected_action": [submitted.pk, accepted.pk],
        },
        follow=True,
    )
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.ACCEPTED
    assert any("Only a submitted report" in str(m) for m in get_messages(response.wsgi_request))
    assert ReportEvent.objects.filter(report=accepted).count() == 1


# --- Duties ------------------------------------------------------------------------------------


def test_adding_a_duty_goes_through_duty_create(admin_client):
    participation = factories.ParticipationFactory()
    response = admin_client.post(
        reverse("admin:accountability_duty_add"),
        {
            "project": participation.project.pk,
            "title": "Clean the kitchen",
            "description": "",
            "accountable": participation.pk,
            "recurrence": "weekly",
            "next_due_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 302
    duty = Duty.objects.get()
    assert audited(duty, AuditAction.CREATE).exists()


def test_a_duty_whose_accountable_party_is_in_another_project_is_refused_without_a_write(admin_client):
    project, elsewhere = factories.ProjectFactory(), factories.ParticipationFactory()
    response = admin_client.post(
        reverse("admin:accountability_duty_add"),
        {
            "project": project.pk,
            "title": "Clean the kitchen",
            "description": "",
            "accountable": elsewhere.pk,
            "recurrence": "weekly",
            "next_due_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert response.context["errors"]
    assert not Duty.objects.exists()
    assert not AuditEntry.objects.exists()


def test_completing_a_duty_records_the_evidence(admin_client):
    duty = factories.DutyFactory(recurrence="once")
    response = admin_client.post(url(duty, "complete"), {"evidence": "Photos of the kitchen"})
    assert response.status_code == 302
    duty.refresh_from_db()
    assert duty.status == "done"
    assert duty.completions.get().evidence == "Photos of the kitchen"


def test_assigning_a_role_on_a_duty_goes_through_duty_assign(admin_client):
    duty = factories.DutyFactory()
    helper = factories.ParticipationFactory(project=duty.project)
    response = admin_client.post(url(duty, "assign"), {"participation": helper.pk, "role": RaciRole.CONSULTED})
    assert response.status_code == 302
    assignment = DutyAssignment.objects.get(duty=duty)
    assert (assignment.participation, assignment.role) == (helper, RaciRole.CONSULTED)


def test_changing_the_accountable_party_to_the_same_one_is_refused_on_the_form(admin_client):
    duty = factories.DutyFactory()
    response = admin_client.post(url(duty, "accountable"), {"participation": duty.accountable.pk, "reason": "Why"})
    assert response.status_code == 200
    assert "already accountable" in response.content.decode()
    assert not audited(duty).exists()


# --- Supervision -------------------------------------------------------------------------------


def test_answering_a_complaint_goes_through_complaint_answer(admin_client, admin_user):
    complaint = factories.ComplaintFactory()
    response = admin_client.post(url(complaint, "answer"), {"response": "New heated boxes from Monday"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.status, complaint.responded_by) == (ComplaintStatus.ANSWERED, admin_user)


def test_a_failed_inspection_recorded_in_the_admin_opens_a_breach(admin_client, admin_user):
    participation = factories.ParticipationFactory()
    response = admin_client.post(
        reverse("admin:accountability_inspection_add"),
        {
            "project": participation.project.pk,
            "organisation": participation.organisation.pk,
            "inspected_on": timezone.localdate().isoformat(),
            "notes": "",
            "checklist": '[{"item": "Kitchen clean", "passed": false}]',
        },
    )
    assert response.status_code == 302
    inspection = Inspection.objects.get()
    assert (inspection.result, inspection.inspector) == (InspectionResult.FAILED, admin_user)
    assert Breach.objects.get().inspection == inspection


def test_resolving_a_breach_with_a_suspension_suspends_the_organisation(admin_client):
    breach = factories.BreachFactory()
    response = admin_client.post(
        url(breach, "resolve"),
        {
            "resolution": "Third missed cleaning",
            "sanction": Sanction.SUSPENSION,
        },
    )
    assert response.status_code == 302
    breach.refresh_from_db()
    breach.organisation.refresh_from_db()
    assert (breach.status, breach.sanction) == (BreachStatus.RESOLVED, Sanction.SUSPENSION)
    assert breach.organisation.status == OrganisationStatus.SUSPENDED


def test_resolving_a_breach_succeeds_with_the_broker_down_and_logs_the_missed_enqueue(
    admin_client, unreachable_broker, django_capture_on_commit_callbacks, caplog
):
    breach = factories.BreachFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin_client.post(url(breach, "resolve"), {"resolution": "Rectified", "sanction": Sanction.WARNING})

    assert response.status_code == 302
    breach.refresh_from_db()
    assert breach.status == BreachStatus.RESOLVED
    assert len(callbacks) == 1
    assert "Could not enqueue evaluation.recompute_trust_scores" in caplog.text


def test_a_resolved_breach_offers_no_resolve_form(admin_client, admin_user):
    breach = breach_resolve(breach=factories.BreachFactory(), user=admin_user, resolution="Fixed", sanction="none")
    response = admin_client.post(url(breach, "resolve"), {"resolution": "Again", "sanction": Sanction.WARNING})
    assert response.status_code == 403
    breach.refresh_from_db()
    assert breach.sanction == Sanction.NONE


def test_the_acknowledge_action_acknowledges_open_risks(admin_client):
    risk = factories.RiskFactory()
    admin_client.post(
        reverse("admin:accountability_risk_changelist"),
        {
            "action": "acknowledge_selected",
            "_selected_action": [risk.pk],
        },
    )
    risk.refresh_from_db()
    assert risk.status == RiskStatus.ACKNOWLEDGED
    assert audited(risk, AuditAction.CHANGE).exists()


def test_closing_a_risk_keeps_the_note(admin_client):
    risk = factories.RiskFactory()
    response = admin_client.post(url(risk, "close"), {"note": "Responsible parties named"})
    assert response.status_code == 302
    risk.refresh_from_db()
    assert risk.status == RiskStatus.CLOSED
    assert audited(risk, AuditAction.CHANGE).get().note == "Responsible parties named"


# --- Evaluation --------------------------------------------------------------------------------


def indicator_rows(item, rows):
    data = {
        "indicators-TOTAL_FORMS": len(rows),
        "indicators-INITIAL_FORMS": 0,
        "indicators-MIN_NUM_FORMS": 0,
        "indicators-MAX_NUM_FORMS": 1000,
    }
    for number, row in enumerate(rows):
        data.update({f"indicators-{number}-{field}": value for field, value in row.items()})
    fields = [
        "category",
        "code",
        "version",
        "name",
        "description",
        "nature",
        "standard",
        "pricing",
        "unit_label",
        "unit_price",
        "subsidy_per_unit",
        "pricing_note",
        "specific_assets_note",
    ]
    data.update({field: getattr(item, f"{field}_id", None) or getattr(item, field) or "" for field in fields})
    data.update({"allows_ngo": "on", "allows_enterprise": "on"})
    return data


def test_indicators_saved_on_a_draft_item_go_through_indicators_set(admin_client):
    item = factories.ServiceListItemFactory(draft=True)
    rows = [
        {"code": "meals", "name": "Meals", "weight": 60, "source": "evaluator"},
        {"code": "care", "name": "Care", "weight": 40, "source": "evaluator"},
    ]
    response = admin_client.post(
        reverse("admin:services_servicelistitem_change", args=[item.pk]), indicator_rows(item, rows)
    )
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert sorted(Indicator.objects.values_list("code", "weight")) == [("care", 40), ("meals", 60)]
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, content_type__model="indicator").count() == 2


def test_indicators_refused_by_the_service_leave_nothing_written(admin_client):
    item = factories.ServiceListItemFactory(draft=True)
    rows = [
        {"code": "meals", "name": "Meals", "weight": 60, "source": "evaluator"},
        {"code": "served", "name": "Meals served", "weight": 40, "source": "report_outputs"},
    ]
    response = admin_client.post(
        reverse("admin:services_servicelistitem_change", args=[item.pk]), indicator_rows(item, rows)
    )
    assert response.status_code == 200
    assert "needs a positive target" in str(response.context["inline_admin_formsets"][-1].formset.non_form_errors())
    assert not Indicator.objects.exists()


def test_a_supervision_report_downloads_as_csv_and_opens_as_a_printable_page(admin_client):
    report = factories.SupervisionReportFactory()

    csv_response = admin_client.get(f"/admin/accountability/supervisionreport/{report.pk}/csv/")
    page = admin_client.get(f"/admin/accountability/supervisionreport/{report.pk}/print/")

    assert csv_response.status_code == 200
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "attachment" in csv_response["Content-Disposition"]
    assert csv_response.content.decode().splitlines()[0] == "section,figure,value"
    assert page.status_code == 200
    assert report.community.name in page.content.decode()
