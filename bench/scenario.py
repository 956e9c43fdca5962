"""The five key endpoints of the load test, with the demo users of the right roles and their credentials."""

from datetime import date, timedelta
from itertools import cycle

from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework.authtoken.models import Token

from bench.load import CLIENTS, Endpoint, Request, multipart
from coproduction.models import (
    Claim,
    ClaimStatus,
    Participation,
    ParticipationRole,
    Project,
    Stage,
    Task,
    TaskStatus,
)
from demo.district.context import District
from partners.models import Community, OfficialPost, Resident

# Reports in the load test cover single past days long before the data's own months, one day per request: a
# period must have ended to be reported, and must not overlap the project's monthly reports.
FIRST_REPORTED_DAY = date(2001, 1, 1)


def _token(user) -> str:
    return Token.objects.get_or_create(user=user)[0].key


def _api(token: str) -> dict:
    return {"Authorization": f"Token {token}", "Accept": "application/json"}


def district_communities() -> list[Community]:
    return list(Community.objects.filter(code__startswith=District.CODE_PREFIX).order_by("code"))


def _officials(communities) -> list[tuple]:
    posts = OfficialPost.objects.filter(community__in=communities).select_related("user", "community")
    posts = posts.order_by("community__code")
    return [(post.user, post.community) for post in posts]


def project_list(communities) -> Endpoint:
    officials = [(_token(user), community.pk) for user, community in _officials(communities)]

    def next_request(client: int, number: int) -> Request:
        token, community = officials[(client + number) % len(officials)]
        return Request("GET", f"/api/v1/projects/?community={community}", _api(token))

    return Endpoint(
        "project_list", "GET /api/v1/projects/?community=<id> as the community's official", next_request, is_list=True
    )


def _resident_logins(communities) -> list[Resident]:
    residents = Resident.objects.filter(community__in=communities, user__isnull=False).select_related("user")
    return list(residents.order_by("pk"))


def task_list(communities) -> Endpoint:
    tokens = [_token(resident.user) for resident in _resident_logins(communities)]

    def next_request(client: int, number: int) -> Request:
        return Request("GET", "/api/v1/tasks/", _api(tokens[(client * 7 + number) % len(tokens)]))

    return Endpoint(
        "task_list", "GET /api/v1/tasks/ as a resident (their community's tasks)", next_request, is_list=True
    )


def report_submit(communities) -> Endpoint:
    """Each client reports for its own provider of its own running project, a new single day each time."""
    providers = (
        Participation.objects.filter(
            project__community__in=communities,
            project__stage=Stage.OPERATION,
            project__end_date__isnull=True,
            role=ParticipationRole.PROVIDER,
        )
        .select_related("organisation")
        .order_by("project_id", "pk")
        .distinct("project_id")
    )
    User = get_user_model()
    senders = []
    for participation in providers[:CLIENTS]:
        manager = User.objects.filter(memberships__organisation=participation.organisation_id).order_by("pk").first()
        senders.append((_token(manager), participation.project_id, participation.organisation_id))
    # The projects' service began before those days, so that each day lies within the project's period.
    Project.objects.filter(pk__in=[project for _, project, _ in senders], start_date__gt=FIRST_REPORTED_DAY).update(
        start_date=FIRST_REPORTED_DAY
    )
    first_day = FIRST_REPORTED_DAY

    def next_request(client: int, number: int) -> Request:
        token, project, organisation = senders[client % len(senders)]
        # Clients sharing a sender (fewer projects than clients) take turns over the days.
        day = first_day + timedelta(days=number * CLIENTS + client)
        body, content_type = multipart(
            {
                "project": project,
                "organisation": organisation,
                "period_start": day,
                "period_end": day,
                "people_served": 12,
                "service_units": 30,
                "cost": "450.00",
                "income": "150.00",
                "subsidy": "300.00",
                "narrative": "当日服务按标准完成。",
            }
        )
        return Request("POST", "/api/v1/reports/", {**_api(token), "Content-Type": content_type}, body)

    return Endpoint(
        "report_submit", "POST /api/v1/reports/ (multipart) as a provider's manager", next_request, expected=(201,)
    )


def claim(communities) -> Endpoint:
    """Fresh claims only: residents with a login, on open tasks of their community they have not claimed."""
    today = timezone.localdate()
    residents = _resident_logins(communities)
    tokens = {resident.pk: _token(resident.user) for resident in residents}
    tasks = (
        Task.objects.filter(
            project__community__in=communities,
            project__stage=Stage.OPERATION,
            status=TaskStatus.OPEN,
            period_end__gte=today,
        )
        .values_list("pk", "project__community_id")
        .order_by("pk")
    )
    by_community: dict = {}
    for task, community in tasks:
        by_community.setdefault(community, []).append(task)
    claimed = set(
        Claim.objects.filter(resident__in=residents, status=ClaimStatus.ACTIVE).values_list("resident", "task")
    )
    pairs = [
        (tokens[resident.pk], task)
        for task_index in range(max(map(len, by_community.values()), default=0))
        for resident in residents
        if task_index < len(by_community.get(resident.community_id, []))
        and (resident.pk, by_community[resident.community_id][task_index]) not in claimed
        for task in [by_community[resident.community_id][task_index]]
    ]
    shares = [pairs[client::CLIENTS] for client in range(CLIENTS)]
    streams = [cycle(share) for share in shares if share]

    def next_request(client: int, number: int) -> Request:
        token, task = next(streams[client % len(streams)])
        return Request("POST", f"/api/v1/tasks/{task}/claim/", _api(token), b"")

    return Endpoint(
        "claim", "POST /api/v1/tasks/<id>/claim/ as a resident (a fresh claim each time)", next_request, expected=(201,)
    )


def dashboard(communities) -> Endpoint:
    """The figures of the officials' dashboard of a community, as JSON (the page itself is timed in process)."""
    officials = [(_token(user), community.pk) for user, community in _officials(communities)]

    def next_request(client: int, number: int) -> Request:
        token, community = officials[(client + number) % len(officials)]
        return Request("GET", f"/api/v1/communities/{community}/dashboard/", _api(token))

    return Endpoint("dashboard", "GET /api/v1/communities/<id>/dashboard/ as the community's official", next_request)


def endpoints() -> list[Endpoint]:
    communities = district_communities()
    return [
        project_list(communities),
        task_list(communities),
        report_submit(communities),
        claim(communities),
        dashboard(communities),
    ]
