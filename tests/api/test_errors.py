"""One JSON error shape for every refusal, whatever raised it, with the right status."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import exceptions

from common.api import exception_handler
from common.errors import field_error
from coproduction.services.claims import TaskFull


def handle(exc):
    return exception_handler(exc, {})


def test_a_field_error_from_a_domain_service_is_a_400_with_its_field_and_code():
    response = handle(field_error("period_start", "The period is outside the project.", "outside_project"))
    assert response.status_code == 400
    assert response.data == {
        "message": "The period is outside the project.",
        "code": "outside_project",
        "errors": {"period_start": ["The period is outside the project."]},
    }


def test_a_plain_domain_refusal_is_a_400_with_its_code_and_no_field_errors():
    response = handle(ValidationError("This task is not open for claims.", code="task_closed"))
    assert response.status_code == 400
    assert response.data == {"message": "This task is not open for claims.", "code": "task_closed", "errors": {}}


def test_a_full_task_is_a_409_conflict():
    response = handle(TaskFull("Every place on this task is taken.", code="task_full"))
    assert response.status_code == 409
    assert response.data["code"] == "task_full"


def test_every_conflict_code_is_a_409_even_as_a_field_error():
    for code in ("already_claimed", "duplicate_period", "already_rated", "already_resolved"):
        assert handle(field_error("period", "Taken.", code)).status_code == 409


def test_a_permission_refusal_is_a_403_keeping_its_message():
    response = handle(PermissionDenied("Only a manager of this organisation may act for it."))
    assert response.status_code == 403
    assert response.data == {
        "message": "Only a manager of this organisation may act for it.",
        "code": "permission_denied",
        "errors": {},
    }


def test_a_missing_record_is_a_404_that_names_nothing():
    response = handle(Http404("No Project matches the given query."))
    assert response.status_code == 404
    assert response.data == {"message": "Not found.", "code": "not_found", "errors": {}}


def test_a_serializer_error_keeps_fields_and_codes():
    response = handle(exceptions.ValidationError({"score": [exceptions.ErrorDetail("Too high.", code="max_value")]}))
    assert response.status_code == 400
    assert response.data == {"message": "Too high.", "code": "max_value", "errors": {"score": ["Too high."]}}


def test_a_throttled_request_is_a_429_with_retry_after():
    response = handle(exceptions.Throttled(wait=30))
    assert response.status_code == 429
    assert response.data["code"] == "throttled"
    assert response["Retry-After"] == "30"


def test_an_unknown_exception_is_left_to_django():
    assert handle(RuntimeError("boom")) is None
