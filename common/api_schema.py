"""The OpenAPI schema class of the API: every operation documents the errors it can give.

Kept apart from common/api.py: drf-spectacular imports rest_framework.views, which reads the
throttle classes of common/api.py from the settings, so the two cannot load as one module.
"""

from drf_spectacular.openapi import AutoSchema

from common.api import ErrorSerializer


class ErrorDocumentingSchema(AutoSchema):
    """Adds the error responses every endpoint can give, all with the ErrorSerializer body."""

    def _error_codes(self) -> list[str]:
        codes = ["401", "403", "429", "503"]  # 503: the database is unreachable (common.database_outage)
        if "{" in self.path:
            codes.append("404")
        if self.method not in ("GET", "HEAD", "OPTIONS"):
            codes += ["400", "409"]
        elif self._is_list_view():
            codes += ["400", "404"]  # an invalid filter value; a page past the end or a bad cursor
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            responses.setdefault(code, self._get_response_for_code(ErrorSerializer, code, direction=direction))
        return responses
