"""Schemathesis over the whole API, as each role: no 5xx, and every response is the documented one.

The schema is read from the app (/api/schema/) and every operation is called in process through
the WSGI application, against a small dataset of two communities. Path ids are drawn partly from
the seeded rows, so that detail pages and workflow actions reach the domain services and not only
the 404 of an unknown id. The run is deterministic (a fixed seed, derandomised) and bounded.
"""

import os
from datetime import timedelta

import pytest
import schemathesis
from django.apps import apps
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.generation.meta import TestPhase
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from coproduction.models import Stage
from partners.models import MembershipRole
from tests.factories import (
    ApplicationFactory,
    BreachFactory,
    CallFactory,
    CheckInFactory,
    ClaimFactory,
    CommunityFactory,
    ComplaintFactory,
    ContributionFactory,
    CriterionFactory,
    DutyAssignmentFactory,
    DutyCompletionFactory,
    DutyFactory,
    EvaluationFactory,
    IndicatorFactory,
    IndicatorScoreFactory,
    InspectionFactory,
    JobRunFactory,
    MembershipFactory,
    OfficialPostFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProjectFactory,
    RatingFactory,
    ReportAttachmentFactory,
    ReportEventFactory,
    ResidentFactory,
    RiskFactory,
    ServiceListItemFactory,
    ServiceReportFactory,
    SupervisionReportFactory,
    TaskFactory,
    TrustScoreFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ROLES = ["anonymous", "resident", "manager", "official", "other_official", "administrator"]

# Generated cases per operation and role, on top of the coverage phase's boundary cases. Three keep
# a local run short; CI's PostgreSQL pass asks for more, and `make fuzz` for many more (SECURITY.md).
MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))

# The roles that also get the coverage phase's boundary and malformed values, which take most of the
# run's time. Anonymous callers are refused before any input is read; community B's official differs
# from A's only in which rows they see; and the administrator passes the same input checks as an
# official, over more rows: for those three, the generated cases (with ids of both communities' rows)
# are enough. tests/api/test_bounds.py sends every boundary value to every operation besides.
BOUNDARY_ROLES = {"resident", "manager", "official"}

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20260501,
        "generation": {"deterministic": True, "database": "none", "with-security-parameters": False},
        "phases": {
            "stateful": {"enabled": False},
            # The router answers every other method 405 alike; probing each of them per operation costs time.
            "coverage": {"unexpected-methods": [], "generate-duplicate-query-parameters": False},
        },
    }
)


def _community_data(community, service_item) -> dict:
    """One community's projects in each stage and a row of every kind the API lists."""
    project = ProjectFactory(community=community, service_item=service_item, stage=Stage.OPERATION)
    design = ProjectFactory(community=community, service_item=service_item, stage=Stage.DESIGN)
    ProjectFactory(community=community, service_item=service_item, stage=Stage.EVALUATION)
    provider = OrganisationFactory(home_community=community)
    participation = ParticipationFactory(project=project, organisation=provider)
    ParticipationFactory(project=design, organisation=provider)
    resident = ResidentFactory(community=community, user=UserFactory())
    task = TaskFactory(project=project, capacity=2)
    TaskFactory(project=project)
    claim = ClaimFactory(task=task, resident=resident)
    CheckInFactory(claim=claim, on=timezone.localdate() - timedelta(days=1))
    report = ServiceReportFactory(project=project, organisation=provider)
    ReportEventFactory(report=report)
    attachment = ReportAttachmentFactory(report=report)
    call = CallFactory(project=design)
    CriterionFactory(call=call)
    ApplicationFactory(call=call, organisation=provider)
    duty = DutyFactory(project=project, accountable=participation)
    DutyAssignmentFactory(duty=duty, participation=participation)
    DutyCompletionFactory(duty=duty)
    InspectionFactory(project=project, organisation=provider)
    ComplaintFactory(project=project, resident=resident, routed_to=provider)
    BreachFactory(project=project, duty=duty)
    RiskFactory(community=community)
    SupervisionReportFactory(community=community)
    evaluation = EvaluationFactory(project=project)
    IndicatorScoreFactory(evaluation=evaluation, indicator=IndicatorFactory(service_item=service_item))
    RatingFactory(project=project, resident=resident)
    TrustScoreFactory(organisation=provider)
    ContributionFactory(participation=participation)
    return {"provider": provider, "resident": resident, "attachment": attachment}


@pytest.fixture
def dataset():
    """Communities A and B, and the users of each role (the non-official roles belong to A)."""
    service_item = ServiceListItemFactory()
    community_a, community_b = CommunityFactory(), CommunityFactory()
    a = _community_data(community_a, service_item)
    _community_data(community_b, service_item)
    JobRunFactory()
    return {
        "users": {
            "anonymous": None,
            "resident": a["resident"].user,
            "manager": MembershipFactory(organisation=a["provider"], role=MembershipRole.MANAGER).user,
            "official": OfficialPostFactory(community=community_a).user,
            "other_official": OfficialPostFactory(community=community_b).user,
            "administrator": UserFactory(is_superuser=True, is_staff=True),
        },
        "attachment_ids": [a["attachment"].pk],
    }


def _existing_ids() -> list[int]:
    """Every primary key of the apps' tables: a drawn id names a real row of some table."""
    labels = {"partners", "jobs", "services", "coproduction", "accountability", "evaluation", "audit"}
    models = [model for model in apps.get_models() if model._meta.app_label in labels]
    return sorted({pk for model in models for pk in model._default_manager.values_list("pk", flat=True)})


# Ids of the current test's rows, read when a case is drawn (strategies are built before fixtures run).
SEEDED: dict[str, list[int]] = {"ids": [], "attachment_ids": []}


@pytest.fixture
def seeded_ids(dataset):
    SEEDED.update(ids=_existing_ids(), attachment_ids=dataset["attachment_ids"])
    yield
    SEEDED.update(ids=[], attachment_ids=[])


@pytest.fixture
def wsgi_calls_in_test_transaction():
    """Keep the test's database connection open across requests, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def unthrottled(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min"},
    }


@pytest.fixture(params=ROLES)
def role(request):
    return request.param


@pytest.fixture
def role_headers(role, dataset) -> dict[str, str]:
    user = dataset["users"][role]
    if user is None:
        return {}
    return {"Authorization": f"Token {Token.objects.create(user=user).key}"}


# The schema is read from the app itself, once, when the module is collected.
schema = schemathesis.openapi.from_wsgi("/api/schema/", WSGIHandler(), config=CONFIG)


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Half the time, an id (and attachment id) of a row the dataset wrote, not an unknown one."""
    if "id" not in (path_parameters or {}):
        return st.just(path_parameters)
    pick = st.integers(min_value=0, max_value=10_000)
    seeded = st.fixed_dictionaries(
        {
            **{name: st.just(value) for name, value in path_parameters.items()},
            "id": pick.map(lambda k: SEEDED["ids"][k % len(SEEDED["ids"])]),
            **(
                {"attachment_id": pick.map(lambda k: SEEDED["attachment_ids"][k % len(SEEDED["attachment_ids"])])}
                if "attachment_id" in path_parameters
                else {}
            ),
        }
    )
    return st.one_of(st.just(path_parameters), seeded)


@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
)
@schema.parametrize()
def test_no_role_gets_a_server_error_or_an_undocumented_response(
    case, role, role_headers, seeded_ids, unthrottled, wsgi_calls_in_test_transaction
):
    if role not in BOUNDARY_ROLES and case.meta is not None and case.meta.phase.name == TestPhase.COVERAGE:
        return
    case.call_and_validate(headers=role_headers, checks=CHECKS)
