"""Every factory builds a row that the database and the model's own validation accept."""

import factory
import pytest

from tests import factories

pytestmark = pytest.mark.django_db

ALL_FACTORIES = sorted(
    (
        value
        for value in vars(factories).values()
        if isinstance(value, type)
        and issubclass(value, factory.django.DjangoModelFactory)
        and value is not factory.django.DjangoModelFactory
    ),
    key=lambda f: f.__name__,
)


@pytest.mark.parametrize("model_factory", ALL_FACTORIES, ids=lambda f: f.__name__)
def test_factory_builds_a_valid_row(model_factory):
    row = model_factory()

    row.full_clean()
    assert type(row).objects.filter(pk=row.pk).exists()


def test_every_model_has_a_factory():
    """A new model of the domain apps needs a factory here, so that tests can build it in one line."""
    from django.apps import apps

    covered = {f._meta.model for f in ALL_FACTORIES}
    ours = {
        m
        for app in ("partners", "services", "coproduction", "accountability", "evaluation")
        for m in apps.get_app_config(app).get_models()
    }
    assert ours - covered == set()


def test_a_claim_takes_a_place_on_its_task():
    claim = factories.ClaimFactory(task__capacity=2)

    claim.task.refresh_from_db()
    assert claim.task.active_claims == 1
    assert claim.resident.community == claim.task.project.community
