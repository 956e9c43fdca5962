"""A complaint's subject longer than its column is a form error on the page, not a database error."""

import pytest
from django.urls import reverse

from accountability.models import Complaint

pytestmark = pytest.mark.django_db


def test_a_subject_longer_than_its_column_is_refused_beside_the_subject(signed_in, project):
    subject = "x" * (Complaint._meta.get_field("subject").max_length + 1)

    response = signed_in.post(
        reverse("resident_portal:complaints"), {"project": project.pk, "subject": subject, "body": "Bins overflow."}
    )

    assert response.status_code == 200
    assert "subject" in response.context["form"].errors
    assert "Bins overflow." in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_project_id_beyond_any_key_is_refused_beside_the_project(signed_in, project):
    response = signed_in.post(
        reverse("resident_portal:complaints"),
        {"project": "99999999999999999999", "subject": "Litter", "body": "Bins overflow."},
    )

    assert response.status_code == 200
    assert "project" in response.context["form"].errors
    assert not Complaint.objects.exists()
