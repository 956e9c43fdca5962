"""The access matrix: for every URL of the platform, what each role gets.

Roles (tests/security/dataset.py builds them): anonymous; a resident of community A; a manager
of the NGO that delivers A's project (ngo_staff); an official of A; an official of B; an
administrator. Every kind of record exists once in A and once in B.

A row is `name: ("cells", kwargs)`, one cell per role in the order of ROLES; a POST carries
BODIES[name]. A URL (or body) that names a record of a community is asked twice, with A's record
and with B's, and its cell reads `A|B` ("200|404": A's record is shown, B's is not found); a
single value means the same for both. Cells:

    200 201        shown / created              302     redirected (done, or sent elsewhere)
    login          redirected to the sign-in page (pages), admin-login: to the admin's
    400            the input was refused: the permission checks passed (POSTs carry a small
                   body of the right shape, so that a refusal comes from the permission check)
    401            API without credentials      403     signed in but refused
    404            not found: another community's record reads exactly as a missing one
    405            method not allowed (a POST-only URL asked with GET, after the access check)
    409            refused by the record's state (after the access check)

kwargs and bodies name records with R("record") (its pk), R("record.attribute"), R(..., side="a")
for community A's whatever the side asked, or SHARED("record") for the platform-wide ones.
"""

from dataclasses import dataclass

ROLES = ("anonymous", "resident", "ngo_staff", "official_a", "official_b", "admin")


@dataclass(frozen=True)
class R:
    """A record of the community being asked (or of `side`), by its pk or `record.attribute`."""

    path: str
    side: str | None = None


@dataclass(frozen=True)
class SHARED:
    """A platform-wide record (the service list and its indicators, the audit log), by its pk."""

    path: str


def pk(record: str) -> dict:
    return {"pk": R(record)}


def shared(record: str) -> dict:
    return {"pk": SHARED(record)}


CODE = {"code": R("community.code")}
ATTACHMENT = {"pk": R("report"), "attachment_id": R("attachment")}
APPLICATION_FILE = {"pk": R("application"), "attachment_id": R("application_attachment")}
DUTY_EVIDENCE = {"pk": R("duty_completion"), "attachment_id": R("duty_evidence")}
INSPECTION_PHOTO = {"pk": R("inspection"), "photo_id": R("inspection_photo")}
TEMPLATE = CODE | {"item_id": SHARED("service_item")}
DOWNLOAD = CODE | {"dataset": "calls", "extension": "csv"}
# A reset link that is not valid: the page says so, to everyone.
RESET_LINK = {"uidb64": "MQ", "token": "set-password"}
# Sent as multipart forms; every other API body is JSON.
MULTIPART = {"claim-check-in", "service-report-list", "service-report-resubmit"}

# One cell per role, in the order of ROLES:
#                                           v anonymous
#                                                 v resident
#                                                         v ngo_staff
#                                                                 v official_a
#                                                                         v official_b
#                                                                                 v admin
GET = {
    # The shell and the sign-in pages: open to everyone (a signed-in user is sent on from the sign-in
    # page); changing one's password needs a sign-in.
    "home": ("302   302     302     302     302     302", {}),
    "login": ("200   302     302     302     302     302", {}),
    "logout": ("405   405     405     405     405     405", {}),
    "password_reset": ("200   200     200     200     200     200", {}),
    "password_reset_done": ("200   200     200     200     200     200", {}),
    "password_reset_confirm": ("200   200     200     200     200     200", RESET_LINK),
    "password_reset_complete": ("200   200     200     200     200     200", {}),
    "set_language": ("302   302     302     302     302     302", {}),
    "healthz": ("200   200     200     200     200     200", {}),
    "password_change": ("login 200     200     200     200     200", {}),
    "password_change_done": ("login 200     200     200     200     200", {}),
    # Browsers ask for /favicon.ico: sent on (301) to the icon the pages use.
    "favicon": ("302   302     302     302     302     302", {}),
    # The dashboard: officials and administrators (web.access.official_required); another community's
    # record is 404. Only street and district posts open a street's or district's roll-up.
    "dashboard:home": ("login 403     403     200     200     200", {}),
    "dashboard:community": ("login 403     403     200|404 404|200 200", CODE),
    "dashboard:street": ("login 403     403     404     404     200", {"street_id": R("street")}),
    "dashboard:district": ("login 403     403     404     404     200", {"district_id": R("district")}),
    "dashboard:service_list": ("login 403     403     200     200     200", {}),
    # POST only, these two and the other dashboard forms below: 405 once the official check is passed.
    "dashboard:service_item_publish": ("login 403     403     405     405     405", shared("draft_item")),
    "dashboard:service_item_new_version": ("login 403     403     405     405     405", shared("service_item")),
    # A draft is edited and compared by the maintainers of the service list only.
    "dashboard:service_item_edit": ("login 403     403     403     403     200", shared("draft_item")),
    "dashboard:service_item_compare": ("login 403     403     403     403     200", shared("draft_item")),
    "dashboard:project_adopt_current_service_version": ("login 403     403     405     405     405", pk("project")),
    "dashboard:community_calls": ("login 403     403     200|404 404|200 200", CODE),
    "dashboard:call_open": ("login 403     403     200|404 404|200 200", pk("design_project")),
    "dashboard:call_detail": ("login 403     403     200|404 404|200 200", pk("call")),
    "dashboard:call_conflict": ("login 403     403     405     405     405", pk("call")),
    "dashboard:call_award": ("login 403     403     405     405     405", pk("call")),
    "dashboard:call_cancel": ("login 403     403     405     405     405", pk("call")),
    "dashboard:application_review": ("login 403     403     200|404 404|200 200", pk("application")),
    "dashboard:project_list": ("login 403     403     200     200     200", {}),
    "dashboard:project_detail": ("login 403     403     200|404 404|200 200", pk("project")),
    "dashboard:project_move": ("login 403     403     405     405     405", pk("project")),
    "dashboard:project_authority": ("login 403     403     405     405     405", pk("project")),
    "dashboard:project_matrix": ("login 403     403     200|404 404|200 200", pk("project")),
    "dashboard:matrix_toggle": ("login 403     403     405     405     405", pk("project")),
    "dashboard:matrix_duty_create": ("login 403     403     405     405     405", pk("project")),
    "dashboard:matrix_set_accountable": ("login 403     403     405     405     405", pk("project")),
    "dashboard:project_evaluation": ("login 403     403     200|404 404|200 200", pk("project")),
    "dashboard:project_indicators": ("login 403     403     200|404 404|200 200", pk("project")),
    "dashboard:evaluation_detail": ("login 403     403     200|404 404|200 200", pk("evaluation")),
    "dashboard:need_list": ("login 403     403     200|404 404|200 200", CODE),
    "dashboard:need_answer": ("login 403     403     200|404 404|200 200", pk("need")),
    "dashboard:partner_list": ("login 403     403     200|404 404|200 200", CODE),
    "dashboard:job_list": ("login 403     403     200|404 404|200 200", CODE),
    "dashboard:report_list": ("login 403     403     200|404 404|200 200", CODE),
    "dashboard:report_review": ("login 403     403     200|404 404|200 200", pk("report")),
    "dashboard:report_attachment": ("login 403     403     200|404 404|200 200", ATTACHMENT),
    "dashboard:inspection_list": ("login 403     403     200|404 404|200 200", CODE),
    "dashboard:inspection_record": ("login 403     403     200|404 404|200 200", CODE),
    "dashboard:inspection_photo": ("login 403     403     200|404 404|200 200", INSPECTION_PHOTO),
    "dashboard:inspection_templates": ("login 403     403     200|404 404|200 200", CODE),
    "dashboard:inspection_template_edit": ("login 403     403     200|404 404|200 200", TEMPLATE),
    "dashboard:breach_list": ("login 403     403     200|404 404|200 200", CODE),
    "dashboard:breach_resolve": ("login 403     403     200|404 404|200 200", pk("breach")),
    "dashboard:duty_detail": ("login 403     403     200|404 404|200 200", pk("duty")),
    "dashboard:duty_completion_attachment": ("login 403     403     200|404 404|200 200", DUTY_EVIDENCE),
    "dashboard:complaint_list": ("login 403     403     200|404 404|200 200", CODE),
    "dashboard:complaint_detail": ("login 403     403     200|404 404|200 200", pk("complaint")),
    "dashboard:complaint_photo": ("login 403     403     200|404 404|200 200", pk("complaint")),
    "dashboard:complaint_answer": ("login 403     403     405     405     405", pk("complaint")),
    "dashboard:complaint_reroute": ("login 403     403     405     405     405", pk("complaint")),
    "dashboard:complaint_extend": ("login 403     403     405     405     405", pk("complaint")),
    "dashboard:complaint_close": ("login 403     403     405     405     405", pk("complaint")),
    "dashboard:risk_list": ("login 403     403     200|404 404|200 200", CODE),
    "dashboard:risk_acknowledge": ("login 403     403     405     405     405", pk("risk")),
    "dashboard:risk_close": ("login 403     403     200|404 404|200 200", pk("risk")),
    "dashboard:supervision_list": ("login 403     403     200|404 404|200 200", CODE),
    "dashboard:supervision_detail": ("login 403     403     200|404 404|200 200", pk("supervision_report")),
    "dashboard:supervision_csv": ("login 403     403     200|404 404|200 200", pk("supervision_report")),
    "dashboard:supervision_print": ("login 403     403     200|404 404|200 200", pk("supervision_report")),
    # The partner portal: members of an organisation (officials and administrators too are refused:
    # it shows the user's own organisations); records of projects they take no part in are 404.
    "partner_portal:home": ("login 403     200     403     403     403", {}),
    "partner_portal:duty_complete": ("login 403     200|404 403     403     403", pk("duty")),
    # Duty evidence: whoever may read the duty's completions (officials and organisations of the project).
    "partner_portal:duty_completion_attachment": ("login 404     200|404 200|404 404|200 200", DUTY_EVIDENCE),
    "partner_portal:complaint_answer": ("login 403     200|404 403     403     403", pk("complaint")),
    "partner_portal:complaint_photo": ("login 403     200|404 403     403     403", pk("complaint")),
    "partner_portal:project_reports": ("login 403     200|404 403     403     403", pk("project")),
    "partner_portal:report_new": ("login 403     200|404 403     403     403", pk("project")),
    "partner_portal:report": ("login 403     200|404 403     403     403", pk("report")),
    "partner_portal:report_attachment": ("login 403     200|404 403     403     403", ATTACHMENT),
    "partner_portal:report_withdraw": ("login 403     405     403     403     403", pk("report")),
    "partner_portal:record": ("login 403     200     403     403     403", {}),
    "partner_portal:trust_score": ("login 403     200     403     403     403", {}),
    "partner_portal:calls": ("login 403     200     403     403     403", {}),
    # Every open call, of any community.
    "partner_portal:apply": ("login 403     200     403     403     403", pk("call")),
    # The sign-in check comes first, then require_POST.
    "partner_portal:withdraw": ("login 403     405     403     403     403", pk("application")),
    # Files of an application: its organisation's staff, and the officials overseeing the call.
    "partner_portal:application_attachment": ("login 404     200|404 200|404 404|200 200", APPLICATION_FILE),
    "partner_portal:token": ("login 403     200     403     403     403", {}),
    # The residents' portal: residents only, and only their own claims, check-ins and complaints.
    "resident_portal:home": ("login 200     403     403     403     403", {}),
    "resident_portal:tasks": ("login 200     403     403     403     403", {}),
    "resident_portal:me": ("login 200     403     403     403     403", {}),
    "resident_portal:task": ("login 200|404 403     403     403     403", pk("task")),
    # The sign-in check comes first, then require_POST.
    "resident_portal:task_claim": ("login 405     403     403     403     403", pk("task")),
    # Asks to confirm the release of the resident's own active claim.
    "resident_portal:task_release": ("login 200|404 403     403     403     403", pk("task")),
    "resident_portal:checkin": ("login 200|404 403     403     403     403", {"claim_pk": R("claim")}),
    "resident_portal:checkins": ("login 200     403     403     403     403", {}),
    "resident_portal:checkin_photo": ("login 200|404 403     403     403     403", pk("checkin")),
    "resident_portal:ratings": ("login 200     403     403     403     403", {}),
    "resident_portal:complaints": ("login 200     403     403     403     403", {}),
    "resident_portal:complaint": ("login 200|404 403     403     403     403", pk("complaint")),
    "resident_portal:complaint_photo": ("login 200|404 403     403     403     403", pk("complaint")),
    "resident_portal:complaint_confirm": ("login 405     403     403     403     403", pk("complaint")),
    "resident_portal:complaint_reopen": ("login 405     403     403     403     403", pk("complaint")),
    "resident_portal:needs": ("login 200     403     403     403     403", {}),
    "resident_portal:my_data": ("login 200     403     403     403     403", {}),
    "resident_portal:my_data_download": ("login 200     403     403     403     403", {}),
    "resident_portal:account_removal": ("login 200     403     403     403     403", {}),
    # The public record: everyone, whichever community.
    "transparency:home": ("200   200     200     200     200     200", {}),
    "transparency:community": ("200   200     200     200     200     200", CODE),
    "transparency:project": ("200   200     200     200     200     200", CODE | pk("project")),
    "transparency:download": ("200   200     200     200     200     200", DOWNLOAD),
    # The API: 401 without credentials; every list is scoped by visible_to(user), and another
    # community's record is 404. The schema and its two viewers are public.
    "api-root": ("401   200     200     200     200     200", {}),
    "api-schema": ("200   200     200     200     200     200", {}),
    "api-docs": ("200   200     200     200     200     200", {}),
    "api-redoc": ("200   200     200     200     200     200", {}),
    "audit-entry-list": ("401   200     200     200     200     200", {}),
    # The audit log is the administrators'.
    "audit-entry-detail": ("401   404     404     404     404     200", shared("audit_entry")),
    "community-list": ("401   200     200     200     200     200", {}),
    # The NGO delivers a project in A.
    "community-detail": ("401   200|404 200|404 200|404 404|200 200", pk("community")),
    "community-dashboard": ("401   403|404 403|404 200|404 404|200 200", pk("community")),
    "organisation-list": ("401   200     200     200     200     200", {}),
    # The register of organisations is public to signed-in users.
    "organisation-detail": ("401   200     200     200     200     200", pk("organisation")),
    "resident-list": ("401   200     200     200     200     200", {}),
    # Personal data: the residents' officials and themselves.
    "me-data": ("401   200     403     403     403     403", {}),
    "resident-detail": ("401   200|404 404     200|404 404|200 200", pk("resident")),
    "service-item-list": ("401   200     200     200     200     200", {}),
    "service-item-detail": ("401   200     200     200     200     200", shared("service_item")),
    "project-list": ("401   200     200     200     200     200", {}),
    "project-detail": ("401   200|404 200|404 200|404 404|200 200", pk("project")),
    "participation-list": ("401   200     200     200     200     200", {}),
    "participation-detail": ("401   200|404 200|404 200|404 404|200 200", pk("participation")),
    "contribution-list": ("401   200     200     200     200     200", {}),
    "contribution-detail": ("401   200|404 200|404 200|404 404|200 200", pk("contribution")),
    "call-list": ("401   200     200     200     200     200", {}),
    # Organisations see every open call, to apply.
    "call-detail": ("401   200|404 200     200|404 404|200 200", pk("call")),
    "application-list": ("401   200     200     200     200     200", {}),
    "application-detail": ("401   404     200|404 200|404 404|200 200", pk("application")),
    "task-list": ("401   200     200     200     200     200", {}),
    "task-detail": ("401   200|404 200|404 200|404 404|200 200", pk("task")),
    "claim-list": ("401   200     200     200     200     200", {}),
    # A resident's own volunteer hours.
    "claim-hours": ("401   200     403     403     403     403", {}),
    "claim-detail": ("401   200|404 200|404 200|404 404|200 200", pk("claim")),
    "checkin-list": ("401   200     200     200     200     200", {}),
    "checkin-detail": ("401   200|404 200|404 200|404 404|200 200", pk("checkin")),
    "checkin-photo": ("401   200|404 200|404 200|404 404|200 200", pk("checkin")),
    "service-report-list": ("401   200     200     200     200     200", {}),
    "service-report-detail": ("401   404     200|404 200|404 404|200 200", pk("report")),
    "service-report-attachment": ("401   404     200|404 200|404 404|200 200", ATTACHMENT),
    "job-run-list": ("401   200     200     200     200     200", {}),
    "job-run-detail": ("401   404     404     200|404 404|200 200", pk("job_run")),
    "duty-list": ("401   200     200     200     200     200", {}),
    "duty-detail": ("401   200|404 200|404 200|404 404|200 200", pk("duty")),
    "duty-completion-list": ("401   200     200     200     200     200", {}),
    "duty-completion-detail": ("401   200|404 200|404 200|404 404|200 200", pk("duty_completion")),
    # Duty evidence files: officials and organisations of the project, not the residents who read its words.
    "duty-completion-attachment": ("401   404     200|404 200|404 404|200 200", DUTY_EVIDENCE),
    "complaint-list": ("401   200     200     200     200     200", {}),
    "complaint-detail": ("401   200|404 200|404 200|404 404|200 200", pk("complaint")),
    "inspection-list": ("401   200     200     200     200     200", {}),
    "inspection-detail": ("401   200|404 200|404 200|404 404|200 200", pk("inspection")),
    "inspection-photo": ("401   200|404 200|404 200|404 404|200 200", INSPECTION_PHOTO),
    # The officials of the communities that deliver the service (here both).
    "inspection-template-list": ("401   200     200     200     200     200", {}),
    "inspection-template-detail": ("401   404     404     200     200     200", shared("inspection_template")),
    "breach-list": ("401   200     200     200     200     200", {}),
    "breach-detail": ("401   404     200|404 200|404 404|200 200", pk("breach")),
    "risk-list": ("401   200     200     200     200     200", {}),
    "risk-detail": ("401   404     404     200|404 404|200 200", pk("risk")),
    "supervision-report-list": ("401   200     200     200     200     200", {}),
    "supervision-report-detail": ("401   404     404     200|404 404|200 200", pk("supervision_report")),
    "supervision-report-csv": ("401   404     404     200|404 404|200 200", pk("supervision_report")),
    "indicator-list": ("401   200     200     200     200     200", {}),
    "indicator-detail": ("401   200     200     200     200     200", shared("indicator")),
    "evaluation-list": ("401   200     200     200     200     200", {}),
    "evaluation-detail": ("401   200|404 200|404 200|404 404|200 200", pk("evaluation")),
    "rating-list": ("401   200     200     200     200     200", {}),
    "rating-detail": ("401   200|404 200|404 200|404 404|200 200", pk("rating")),
    "trust-score-list": ("401   200     200     200     200     200", {}),
    "need-list": ("401   200     200     200     200     200", {}),
    # A resident's own needs, and their community's officials.
    "need-detail": ("401   200|404 404     200|404 404|200 200", pk("need")),
    # Trust scores are part of the public record of partners.
    "trust-score-detail": ("401   200     200     200     200     200", pk("trust_score")),
    # Notifications are each person's own: the resident of A's is theirs alone, whoever else asks.
    "notifications:list": ("login 200     200     200     200     200", {}),
    "notifications:open": ("login 302|404 404     404     404     404", pk("notification")),
    "notifications:read_all": ("login 405     405     405     405     405", {}),
    "notifications:preferences": ("login 200     200     200     200     200", {}),
    # An unsubscribe link needs no sign-in: its signature is the authority, and a forged one is refused.
    "notifications:unsubscribe": ("400   400     400     400     400     400", {"token": "forged"}),
    "notification-list": ("401   200     200     200     200     200", {}),
    "notification-detail": ("401   200|404 404     404     404     404", pk("notification")),
}
# The same columns; each POST carries BODIES[name] (an empty form when it has none).
POST = {
    # The shell: the sign-in and password forms answer everyone (here with their errors).
    "login": ("200   302     302     302     302     302", {}),
    "logout": ("302   302     302     302     302     302", {}),
    "password_reset": ("200   200     200     200     200     200", {}),
    "password_reset_confirm": ("200   200     200     200     200     200", RESET_LINK),
    "set_language": ("302   302     302     302     302     302", {}),
    # The dashboard: as its pages; with empty forms, an allowed official gets the form back (200).
    # The service list is maintained by administrators and street or district officials only.
    "dashboard:service_item_publish": ("login 403     403     403     403     302", shared("draft_item")),
    "dashboard:service_item_new_version": ("login 403     403     403     403     302", shared("service_item")),
    "dashboard:service_item_edit": ("login 403     403     403     403     200", shared("draft_item")),
    # Redirected with a message: the project already uses the published version.
    "dashboard:project_adopt_current_service_version": ("login 403     403     302|404 404|302 302", pk("project")),
    "dashboard:call_open": ("login 403     403     200|404 404|200 200", pk("design_project")),
    "dashboard:call_conflict": ("login 403     403     200|404 404|200 200", pk("call")),
    "dashboard:call_award": ("login 403     403     200|404 404|200 200", pk("call")),
    "dashboard:call_cancel": ("login 403     403     200|404 404|200 200", pk("call")),
    "dashboard:application_review": ("login 403     403     200|404 404|200 200", pk("application")),
    "dashboard:project_move": ("login 403     403     200|404 404|200 200", pk("project")),
    "dashboard:project_authority": ("login 403     403     200|404 404|200 200", pk("project")),
    "dashboard:matrix_toggle": ("login 403     403     302|404 404|302 302", pk("project")),
    "dashboard:matrix_duty_create": ("login 403     403     200|404 404|200 200", pk("project")),
    "dashboard:matrix_set_accountable": ("login 403     403     200|404 404|200 200", pk("project")),
    "dashboard:project_evaluation": ("login 403     403     200|404 404|200 200", pk("project")),
    "dashboard:project_indicators": ("login 403     403     200|404 404|200 200", pk("project")),
    "dashboard:need_answer": ("login 403     403     200|404 404|200 200", pk("need")),
    "dashboard:inspection_template_edit": ("login 403     403     200|404 404|200 200", TEMPLATE),
    "dashboard:report_review": ("login 403     403     200|404 404|200 200", pk("report")),
    "dashboard:inspection_record": ("login 403     403     200|404 404|200 200", CODE),
    "dashboard:breach_resolve": ("login 403     403     200|404 404|200 200", pk("breach")),
    # An empty form: the complaint's page again, with what is missing.
    "dashboard:complaint_answer": ("login 403     403     200|404 404|200 200", pk("complaint")),
    "dashboard:complaint_reroute": ("login 403     403     200|404 404|200 200", pk("complaint")),
    "dashboard:complaint_extend": ("login 403     403     200|404 404|200 200", pk("complaint")),
    "dashboard:complaint_close": ("login 403     403     200|404 404|200 200", pk("complaint")),
    "dashboard:risk_acknowledge": ("login 403     403     302|404 404|302 302", pk("risk")),
    "dashboard:risk_close": ("login 403     403     200|404 404|200 200", pk("risk")),
    # The partner portal, as its pages.
    "partner_portal:duty_complete": ("login 403     200|404 403     403     403", pk("duty")),
    "partner_portal:complaint_answer": ("login 403     200|404 403     403     403", pk("complaint")),
    "partner_portal:report_new": ("login 403     200|404 403     403     403", pk("project")),
    # 403: only a returned report is resubmitted.
    "partner_portal:report": ("login 403     403|404 403     403     403", pk("report")),
    # Withdrawn before review, back to the report's page.
    "partner_portal:report_withdraw": ("login 403     302|404 403     403     403", pk("report")),
    # Every open call, of any community.
    "partner_portal:apply": ("login 403     200     403     403     403", pk("call")),
    "partner_portal:withdraw": ("login 403     302|404 403     403     403", pk("application")),
    "partner_portal:token": ("login 403     200     403     403     403", {}),
    # The residents' portal, as its pages.
    "resident_portal:task_claim": ("login 302|404 403     403     403     403", pk("task")),
    "resident_portal:task_release": ("login 302|404 403     403     403     403", pk("task")),
    "resident_portal:checkin": ("login 200|404 403     403     403     403", {"claim_pk": R("claim")}),
    "resident_portal:ratings": ("login 200     403     403     403     403", {}),
    "resident_portal:complaints": ("login 200     403     403     403     403", {}),
    "resident_portal:complaint_confirm": ("login 302|404 403     403     403     403", pk("complaint")),
    "resident_portal:complaint_reopen": ("login 200|404 403     403     403     403", pk("complaint")),
    "resident_portal:needs": ("login 200     403     403     403     403", {}),
    "resident_portal:account_removal": ("login 200     403     403     403     403", {}),
    # The API's writes: 404 for a record the caller may not see, then 403 from the domain service's
    # permission check, then 400/409 from the record's state.
    "project-set-authority": ("401   403|404 403|404 200|404 404|200 200", pk("project")),
    "project-transition": ("401   403|404 403|404 201|404 404|201 201", pk("project")),
    "contribution-list": ("401   403|404 201|404 201|404 404|201 201", {}),
    # The NGO takes no part in the design project the call would be opened on: 404.
    "call-list": ("401   403|404 404     201|404 404|201 201", {}),
    # 400: applications are still open.
    "call-award": ("401   403|404 403     400|404 404|400 400", pk("call")),
    "call-cancel": ("401   403|404 403     200|404 404|200 200", pk("call")),
    # Reviewers declare: officials of the call's community (coproduction.services.selection.conflict_declare).
    "call-declare-conflict": ("401   403|404 403     201|404 404|201 201", pk("call")),
    # Always for NGO A, which has applied to A's call already (409); B's open call is open to it.
    "application-list": ("401   403|404 409|201 403|404 404|403 409|201", {}),
    # 400: applications are still open.
    "application-review": ("401   404     403|404 400|404 404|400 400", pk("application")),
    "application-withdraw": ("401   404     200|404 403|404 404|403 200", pk("application")),
    # 409: the resident holds this claim already.
    "task-claim": ("401   409|404 403|404 403|404 404|403 403", pk("task")),
    # The resident, or an official of their community for them (this row and the next).
    "claim-release": ("401   200|404 403|404 200|404 404|200 200", pk("claim")),
    "claim-check-in": ("401   201|404 403|404 201|404 404|201 201", pk("claim")),
    "service-report-list": ("401   403|404 201|404 403|404 404|403 403", {}),
    "service-report-review": ("401   404     403|404 200|404 404|200 200", pk("report")),
    # 400: only a returned report is resubmitted.
    "service-report-resubmit": ("401   404     400|404 403|404 404|403 403", pk("report")),
    # The organisation that submitted it, before review.
    "service-report-withdraw": ("401   404     200|404 403|404 404|403 403", pk("report")),
    "duty-list": ("401   403|404 403|404 201|404 404|201 201", {}),
    "duty-assign": ("401   403|404 403|404 200|404 404|200 200", pk("duty")),
    "duty-unassign": ("401   403|404 403|404 200|404 404|200 200", pk("duty")),
    "duty-set-accountable": ("401   403|404 403|404 200|404 404|200 200", pk("duty")),
    # Staff of the accountable organisation, or an official.
    "duty-complete": ("401   403|404 201|404 201|404 404|201 201", pk("duty")),
    "complaint-list": ("401   201|404 403     403     403     403", {}),
    # The organisation it was routed to, or an official.
    "complaint-answer": ("401   403|404 200|404 200|404 404|200 200", pk("complaint")),
    # The resident who filed it; 400: only an answered complaint (this row and the next).
    "complaint-confirm": ("401   400|404 403|404 403|404 404|403 403", pk("complaint")),
    "complaint-reopen": ("401   400|404 403|404 403|404 404|403 403", pk("complaint")),
    # The community's officials; 400: the partner has nobody to answer for it.
    "complaint-reroute": ("401   403|404 403|404 400|404 404|400 400", pk("complaint")),
    "complaint-extend": ("401   403|404 403|404 200|404 404|200 200", pk("complaint")),
    "complaint-close": ("401   403|404 403|404 200|404 404|200 200", pk("complaint")),
    "inspection-list": ("401   403|404 403|404 201|404 404|201 201", {}),
    # The officials of the community named in the body; the item has a template already (200: replaced).
    "inspection-template-list": ("401   403|404 403|404 200|404 404|200 200", {}),
    "inspection-template-update": ("401   404     404     200|404 404|200 200", shared("inspection_template")),
    "breach-resolve": ("401   404     403|404 200|404 404|200 200", pk("breach")),
    "risk-acknowledge": ("401   404     404     200|404 404|200 200", pk("risk")),
    "risk-close": ("401   404     404     200|404 404|200 200", pk("risk")),
    # The maintainers of the service list (administrators, street and district officials).
    "indicator-set-indicators": ("401   403     403     403     403     200", {}),
    # 400: the item's indicators are incomplete.
    "evaluation-list": ("401   403|404 403|404 400|404 404|400 400", {}),
    "evaluation-preview": ("401   403|404 403|404 400|404 404|400 400", {}),
    # The community's officials.
    "need-answer": ("401   403|404 404     200|404 404|200 200", pk("need")),
    # 400: the project already uses the published version of its service.
    "project-adopt-current-service-version": ("401   403|404 403|404 400|404 404|400 400", pk("project")),
    # A draft is seen (and changed) by the maintainers of the service list only: to anyone else it is not found.
    "service-item-update-draft": ("401   404     404     404     404     200", shared("draft_item")),
    # The caller's own account, removed (confirm: true): residents only.
    "me-removal": ("401   200     403     403     403     403", {}),
    "rating-list": ("401   201|404 403|404 403|404 404|403 403", {}),
    "notifications:read_all": ("login 302     302     302     302     302", {}),
    "notifications:unsubscribe": ("400   400     400     400     400     400", {"token": "forged"}),
    "notification-read": ("401   200|404 404     404     404     404", pk("notification")),
    "notification-read-all": ("401   200     200     200     200     200", {}),
}

# Bodies of the POSTs: the API's have the shape its input serializers check, so that the answer
# comes from the permission check or the domain, not from a missing field; the pages get
# empty forms (their guards run before the form), except where noted.
BODIES = {
    "dashboard:matrix_toggle": {"toggle": R("matrix_cell.inform_partner")},
    "project-set-authority": {"governance_authority": "high", "authority_reason": "The street office leads."},
    "project-transition": {"to_stage": "evaluation", "reason": "The year is over."},
    "contribution-list": {
        "participation": R("participation"),
        "kind": "money",
        "value": "500.00",
        "contributed_on": "2025-03-01",
    },
    "call-list": {
        "project": R("design_project_without_call"),
        "title": "Second call",
        "deadline": "2099-01-01T00:00:00Z",
        "criteria": [{"name": "Quality", "weight": 100}],
    },
    "call-award": {"application": R("application"), "reason": "The best proposal."},
    "call-cancel": {"reason": "No longer needed."},
    "call-declare-conflict": {"organisation": R("organisation"), "reason": "Served on its board."},
    # Always for the NGO of A, the one ngo_staff manages: B's open call is open to it too.
    "application-list": {
        "call": R("call"),
        "organisation": R("organisation", side="a"),
        "proposal": "Five days a week.",
        "proposed_budget": "80000.00",
    },
    "application-review": {"scores": {R("criterion"): 80}},
    "claim-check-in": {"on": R("task.period_start"), "note": "Weeded the plot."},
    "service-report-list": {
        "project": R("project"),
        "organisation": R("organisation"),
        "period_start": "2025-04-01",
        "period_end": "2025-04-30",
        "people_served": 10,
        "service_units": 40,
        "cost": "100.00",
        "income": "50.00",
        "subsidy": "50.00",
        "narrative": "Lunches.",
    },
    "service-report-review": {"accept": True},
    "service-report-resubmit": {"narrative": "Corrected."},
    "duty-list": {
        "project": R("project"),
        "title": "Sweep the yard",
        "accountable": R("participation"),
        "next_due_on": R("duty.next_due_on"),
    },
    "duty-assign": {"participation": R("partner"), "role": "I"},
    "duty-unassign": {"participation": R("partner"), "role": "C"},
    "duty-set-accountable": {"participation": R("partner"), "reason": "Handover to the partner."},
    "duty-complete": {"evidence": "Photos of the yard.", "due_on": R("duty.next_due_on")},
    "complaint-list": {"project": R("project"), "subject": "Cold meals", "body": "Cold three days running."},
    "complaint-answer": {"response": "The van is repaired."},
    "complaint-reopen": {"reason": "Still cold."},
    "complaint-reroute": {"organisation": R("partner.organisation_id"), "reason": "Theirs."},
    "complaint-extend": {"reason": "Waiting for a part."},
    "complaint-close": {"note": "Settled in person."},
    "inspection-list": {
        "project": R("project"),
        "organisation": R("organisation"),
        "inspected_on": "2025-03-02",
        "checklist": [{"item": "Kitchen clean", "passed": True}],
    },
    "inspection-template-list": {
        "service_item": SHARED("service_item"),
        "community": R("community"),
        "items": ["Kitchen clean"],
    },
    "inspection-template-update": {"community": R("community"), "items": ["Kitchen clean", "Food kept cold"]},
    "breach-resolve": {"resolution": "Done now.", "sanction": "warning"},
    "risk-acknowledge": {"note": "Looking into it."},
    "risk-close": {"note": "Nothing found."},
    "indicator-set-indicators": {
        "service_item": SHARED("service_item"),
        "indicators": [{"code": "quality", "name": "Quality", "weight": 100, "source": "evaluator"}],
    },
    "evaluation-list": {"project": R("project"), "period_start": "2025-07-01", "period_end": "2025-12-31"},
    "evaluation-preview": {"project": R("project"), "period_start": "2025-07-01", "period_end": "2025-12-31"},
    "need-answer": {"status": "declined", "response": "Not this year."},
    "rating-list": {"project": R("project"), "score": 4},
    "me-removal": {"confirm": True},
}

# --- Django's admin ----------------------------------------------------------------------------
# One rule for every pattern under admin/ (each model's changelist, add, change, history, delete
# and the platform's workflow pages): the admin is for staff accounts (is_staff), which none of
# the platform's roles but the administrator holds. Everyone else is sent to the admin's sign-in:
ADMIN_REFUSED = "admin-login"
ADMIN_REFUSED_EXCEPT = {"admin:login": "200", "admin:logout": "302"}  # the sign-in form; logout goes to it
# The administrator opens every admin page whose URL names no record, except:
ADMIN_AS_ADMINISTRATOR_EXCEPT = {
    "admin:login": "302",  # already signed in: sent to the index
    "admin:logout": "405",  # POST only
    "admin:autocomplete": "403",  # without the field it completes
}
# Models whose rows only the domain services write: their add page is refused (403).
ADMIN_WRITTEN_BY_SERVICES = {
    "notifications_notification",
    "notifications_delivery",
    "notifications_digestmail",
    "notifications_preference",
    "notifications_userlanguage",
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
    "audit_auditentry",
    "jobs_jobrun",
    "jobs_missedtask",
    "coproduction_servicereport",
    "coproduction_reportattachment",
    "coproduction_reportevent",
    "coproduction_call",
    "coproduction_application",
    "coproduction_review",
    "coproduction_reviewscore",
    "coproduction_criterion",
    "coproduction_checkin",
    "accountability_dutyassignment",
    "accountability_dutycompletion",
    "accountability_complaint",
    "accountability_breach",
    "accountability_risk",
    "accountability_supervisionreport",
    "accountability_dutycompletionattachment",
    "accountability_inspectionphoto",
    "coproduction_applicationattachment",
    "evaluation_indicator",
    "evaluation_evaluation",
    "evaluation_indicatorscore",
    "evaluation_rating",
    "evaluation_trustscore",
}
# Admin pages of one record are asked as the administrator for these records (the same ModelAdmin
# views serve every model, and tests/platform/test_admin.py renders each model's change page);
# as anyone else, every admin pattern is asked, with a record id that need not exist.
ADMIN_RECORD_PAGES = {
    "admin:coproduction_project_change": ("200", {"object_id": R("project")}),
    "admin:coproduction_project_history": ("200", {"object_id": R("project")}),
    "admin:coproduction_project_delete": ("200", {"object_id": R("project")}),
    "admin:accountability_complaint_change": ("200", {"object_id": R("complaint")}),
    "admin:auth_user_password_change": ("200", {"id": R("resident.user_id")}),
}

# --- Patterns outside the matrix, each with its reason -----------------------------------------
# Keyed by route, as they have no name.
UNNAMED = {
    r"^api/v1/(?:[\s\S]*/)?$": "the API's 404 for any /api/v1/ URL that names no endpoint (common.api.not_found)",
}
# The router's format-suffix routes (`projects.json`) share the name and view of their route,
# and so their row of the matrix.

# --- Lists: each scoped to the caller's communities ---------------------------------------------
# For each API list of community records, the record each community holds: the official of A
# must find A's and not B's in the list, and the official of B the other way round.
LIST_RECORDS = {
    "community-list": "community",
    "resident-list": "resident",
    "project-list": "project",
    "participation-list": "participation",
    "contribution-list": "contribution",
    "call-list": "call",
    "application-list": "application",
    "task-list": "task",
    "claim-list": "claim",
    "checkin-list": "checkin",
    "service-report-list": "report",
    "job-run-list": "job_run",
    "duty-list": "duty",
    "duty-completion-list": "duty_completion",
    "complaint-list": "complaint",
    "inspection-list": "inspection",
    "breach-list": "breach",
    "risk-list": "risk",
    "supervision-report-list": "supervision_report",
    "evaluation-list": "evaluation",
    "rating-list": "rating",
}
