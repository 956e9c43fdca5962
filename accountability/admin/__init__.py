"""Admin for accountability, by subject: duties (RACI), inspections, complaints, breaches, risks, reports.

Every write with a rule goes through this app's services: duties are created, reassigned and
completed by accountability/services/duties.py, inspections recorded by inspection_record(), complaints
answered by complaint_answer(), breaches resolved by breach_resolve() and risks followed up by
accountability/services/risks.py. The records themselves are shown, with those steps as small forms.
Importing the subject modules registers their admins; DutyInline is for the project's page (config/admin.py).
"""

from accountability.admin import breaches, complaints, inspections, risks, supervision_reports
from accountability.admin.duties import DutyInline

__all__ = ["DutyInline", "breaches", "complaints", "inspections", "risks", "supervision_reports"]
