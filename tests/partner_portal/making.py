"""Records the portal's tests need that tests/factories.py does not build in one call."""

from django.utils import timezone

from coproduction.models import ReportStatus
from tests import factories


def returned_report(**fields):
    """A report an official returned for changes, with the review recorded as the database requires."""
    fields.setdefault("review_comment", "Add the receipts.")
    return factories.ServiceReportFactory(
        status=ReportStatus.RETURNED, reviewed_by=factories.UserFactory(), reviewed_at=timezone.now(), **fields
    )
