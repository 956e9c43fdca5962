"""Every URL of the platform, asked as every role with records of both communities, answers as the
access matrix (access_matrix.py) says; and no URL is missing from the matrix."""

import re

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.access_matrix import (
    ADMIN_AS_ADMINISTRATOR_EXCEPT,
    ADMIN_RECORD_PAGES,
    ADMIN_REFUSED,
    ADMIN_REFUSED_EXCEPT,
    ADMIN_WRITTEN_BY_SERVICES,
    BODIES,
    GET,
    LIST_RECORDS,
    MULTIPART,
    POST,
    ROLES,
    UNNAMED,
    R,
)
from tests.security.asking import ask, is_sided, outcome, resolve, session_key_of, signed_in_client
from tests.security.dataset import build_world
from tests.throttle_counts import clear_throttle_counts

pytestmark = pytest.mark.django_db

SIDES = ("a", "b")
NON_STAFF = ("anonymous", "resident", "ngo_staff", "official_a", "official_b")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module and rolled back at its end; each request runs in a savepoint of
    its own (asking.ask), so every cell is asked of the same records."""
    media = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        world.sessions = {"anonymous": None} | {role: session_key_of(user) for role, user in world.users.items()}
        yield world
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def no_throttle_counts():
    """The API's throttle counts live in the cache: each test starts with none."""
    clear_throttle_counts()


def url_patterns(resolver=None, prefix="", namespace=None):
    """Every pattern of the project as (name with its namespace, or None; route; pattern)."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            inner = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from url_patterns(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name, prefix + str(pattern.pattern), pattern


def is_admin(route: str) -> bool:
    return route.startswith("admin/")


def by_side(cell: str) -> dict[str, str]:
    """ "200|404" as {"a": "200", "b": "404"}; "403" as the same for both."""
    for_a, _, for_b = cell.partition("|")
    return {"a": for_a, "b": for_b or for_a}


def expected(cells: str) -> dict[str, dict[str, str]]:
    """A row's cells as {role: {side: outcome}}."""
    values = cells.split()
    assert len(values) == len(ROLES), f"{cells!r} has {len(values)} cells, not one per role of {ROLES}"
    return {role: by_side(value) for role, value in zip(ROLES, values, strict=True)}


def sides_of(kwargs: dict, body=None) -> tuple[str, ...]:
    """Both communities when the URL or body names a record of the community asked; else A's only."""
    return SIDES if is_sided(kwargs) or is_sided(body) else SIDES[:1]


def mismatches(world, method: str, name: str, row: tuple, body=None) -> list[str]:
    """Each role and side whose answer differs from the row's cell, in words."""
    cells, kwargs = row
    wanted, sides = expected(cells), sides_of(kwargs, body)
    found = []
    for role in ROLES:
        for side in sides:
            url = reverse(name, kwargs=resolve(kwargs, world, side))
            response = ask(
                signed_in_client(world.sessions[role]),
                method,
                url,
                resolve(body, world, side),
                as_json=url.startswith("/api/") and name not in MULTIPART,
            )
            got, want = outcome(response), wanted[role][side]
            if got != want:
                whose = f" with {side.upper()}'s record" if len(sides) > 1 else ""
                found.append(f"{method} {url} as {role}{whose}: expected {want}, got {got}")
    return found


@pytest.mark.parametrize("name", GET)
def test_get(world, name):
    problems = mismatches(world, "GET", name, GET[name])
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", POST)
def test_post(world, name):
    problems = mismatches(world, "POST", name, POST[name], BODIES.get(name))
    assert not problems, "\n".join(problems)


# --- The admin -----------------------------------------------------------------------------------

ADMIN_PATTERNS = [(name, route, pattern) for name, route, pattern in url_patterns() if is_admin(route)]
# A value for each kind of argument admin URLs take, naming no record.
ADMIN_PLACEHOLDERS = {
    "object_id": "0",
    "id": "0",
    "pk": "0",
    "content_type_id": "0",
    "app_label": "partners",
    "url": "x/",
}


def admin_url(name, route: str, pattern) -> str:
    """The pattern's URL with placeholders; an unnamed one (the admin's catch-all, the old change
    URLs) written from its route."""
    if name is not None:
        arguments = pattern.pattern.regex.groupindex
        return reverse(name, kwargs={argument: ADMIN_PLACEHOLDERS[argument] for argument in arguments})
    route = route.replace("(?P<url>.*)$", ADMIN_PLACEHOLDERS["url"])
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda match: ADMIN_PLACEHOLDERS[match[1]], route)


@pytest.mark.parametrize("name,route,pattern", ADMIN_PATTERNS, ids=[name or route for name, route, _ in ADMIN_PATTERNS])
def test_admin_is_closed_to_everyone_but_staff(world, name, route, pattern):
    """Every admin pattern, asked anonymously and as one of the other roles without a staff
    account, each role in turn (asking all four of each pattern would add nothing but time)."""
    others = NON_STAFF[1:]
    role = others[ADMIN_PATTERNS.index((name, route, pattern)) % len(others)]
    url = admin_url(name, route, pattern)
    expected = ADMIN_REFUSED_EXCEPT.get(name, ADMIN_REFUSED)
    got = {who: outcome(ask(signed_in_client(world.sessions[who]), "GET", url)) for who in ("anonymous", role)}
    assert got == {"anonymous": expected, role: expected}


def administrator_expects(name: str) -> str:
    model = name.removeprefix("admin:").removesuffix("_add")
    if name.endswith("_add") and model in ADMIN_WRITTEN_BY_SERVICES:
        return "403"
    return ADMIN_AS_ADMINISTRATOR_EXCEPT.get(name, "200")


ADMIN_PAGES_WITHOUT_A_RECORD = [
    name for name, _, pattern in ADMIN_PATTERNS if name is not None and not pattern.pattern.regex.groupindex
]


@pytest.mark.parametrize("name", ADMIN_PAGES_WITHOUT_A_RECORD)
def test_admin_opens_to_the_administrator(world, name):
    assert outcome(ask(signed_in_client(world.sessions["admin"]), "GET", reverse(name))) == administrator_expects(name)


@pytest.mark.parametrize("name", ADMIN_RECORD_PAGES)
def test_admin_record_pages_open_to_the_administrator(world, name):
    expected, kwargs = ADMIN_RECORD_PAGES[name]
    url = reverse(name, kwargs=resolve(kwargs, world, "a"))
    assert outcome(ask(signed_in_client(world.sessions["admin"]), "GET", url)) == expected


# --- Lists ---------------------------------------------------------------------------------------


def listed_ids(response) -> set[int]:
    body = response.json()
    return {row["id"] for row in (body["results"] if isinstance(body, dict) else body)}


@pytest.mark.parametrize("name", LIST_RECORDS)
def test_lists_hold_only_the_officials_own_community(world, name):
    record = LIST_RECORDS[name]
    for official, own, other in (("official_a", world.a, world.b), ("official_b", world.b, world.a)):
        response = ask(signed_in_client(world.sessions[official]), "GET", reverse(name) + "?page_size=200")
        assert response.status_code == 200
        ids = listed_ids(response)
        assert own[record].pk in ids, f"{official} misses their own {record}"
        assert other[record].pk not in ids, f"{official} sees the other community's {record}"


# --- Completeness --------------------------------------------------------------------------------


def uncovered(name, route: str, pattern) -> list[str]:
    """Why the pattern is not covered by the matrix, or nothing when it is."""
    if is_admin(route):
        return []
    if name is None:
        return [] if route in UNNAMED else [f"{route} (no name): add it to UNNAMED with the reason"]
    # A viewset route says which methods it answers, each needing its row; a page needs its GET
    # row (which also shows how a POST-only page refuses a GET).
    methods = set(getattr(pattern.callback, "actions", {"get": None})) - {"head", "options"}  # both follow GET
    tables = {"get": GET, "post": POST}
    return [f"{name}: no {method.upper()} row" for method in methods if name not in tables.get(method, {})]


def test_every_url_pattern_is_in_the_matrix():
    """A new page, API route or action fails here until its row says who may open it."""
    # Sorted and once each: a route and its format-suffix twin share a name.
    reasons = sorted({reason for pattern in url_patterns() for reason in uncovered(*pattern)})
    assert not reasons, "\n".join(reasons)


def test_the_matrix_names_only_urls_that_exist():
    names = {name for name, _, _ in url_patterns()}
    routes = {route for _, route, _ in url_patterns()}
    stale = [name for name in [*GET, *POST, *ADMIN_RECORD_PAGES, *ADMIN_AS_ADMINISTRATOR_EXCEPT] if name not in names]
    assert stale + [route for route in UNNAMED if route not in routes] == []


def test_only_rows_asked_for_both_communities_split_their_cells():
    """A cell "A|B" on a URL that names no record of a community would be half asked."""
    unsplittable = [
        f"{method} {name}"
        for method, table in (("GET", GET), ("POST", POST))
        for name, (cells, kwargs) in table.items()
        if "|" in cells and len(sides_of(kwargs, BODIES.get(name) if method == "POST" else None)) == 1
    ]
    assert unsplittable == []


# A record of B named under a parent of A: looked up among the parent's own, so not found, even
# by whoever may see both.
A_FILE_OF_B = {"pk": R("report", side="a"), "attachment_id": R("attachment", side="b")}
MIXED = [
    ("dashboard:report_attachment", A_FILE_OF_B, "official_a"),
    ("dashboard:report_attachment", A_FILE_OF_B, "admin"),
    ("partner_portal:report_attachment", A_FILE_OF_B, "ngo_staff"),
    ("service-report-attachment", A_FILE_OF_B, "official_a"),
    ("service-report-attachment", A_FILE_OF_B, "admin"),
    ("transparency:project", {"code": R("community.code", side="a"), "pk": R("project", side="b")}, "anonymous"),
]


@pytest.mark.parametrize("name,kwargs,role", MIXED, ids=[f"{name}-{role}" for name, _, role in MIXED])
def test_a_record_is_found_only_under_its_own_parent(world, name, kwargs, role):
    url = reverse(name, kwargs=resolve(kwargs, world, "a"))
    assert outcome(ask(signed_in_client(world.sessions[role]), "GET", url)) == "404"
