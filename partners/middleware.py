"""Request middleware of the partners app: the audit of views of residents' personal data."""

from partners.personal_data import record_contact_views


class PersonalDataAuditMiddleware:
    """After each request, log which residents' contact details it showed in full to an official
    or an administrator (see partners.personal_data): one insert for the whole request, however
    many rows a list showed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        record_contact_views(request)
        return response
