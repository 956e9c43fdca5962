"""Officials' pages: the communities they oversee, and each community's projects."""
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404, render
from django.urls import path

from coproduction.models import Project, Stage
from partners.models import Community
from partners.roles import is_administrator, official_communities
from web.access import official_required


def overseen_communities(user) -> QuerySet[Community]:
    """Every community for administrators; those under the official's posts for officials."""
    return Community.objects.all() if is_administrator(user) else official_communities(user)


def _stage_counts() -> dict:
    return {f"projects_{stage}": Count("projects", filter=Q(projects__stage=stage)) for stage in Stage.values}


@official_required
def home(request):
    """The communities the official oversees, each with its projects counted by lifecycle stage
    in one aggregate query."""
    communities = list(
        overseen_communities(request.user)
        .select_related("street__district")
        .annotate(**_stage_counts())
        .order_by("street__district__name", "street__name", "name")
    )
    for community in communities:
        community.stage_counts = [getattr(community, f"projects_{stage}") for stage in Stage.values]
    return render(request, "dashboard/home.html", {"communities": communities, "stages": Stage.choices})


@official_required
def community(request, code):
    """One community's projects; a community outside the official's posts answers 404."""
    community = get_object_or_404(overseen_communities(request.user).select_related("street__district"), code=code)
    projects = (
        Project.objects.visible_to(request.user)
        .filter(community=community)
        .select_related("service_item")
        .order_by("name")
    )
    return render(request, "dashboard/community.html", {"community": community, "projects": projects})


urls = [
    path("", home, name="home"),
    path("communities/<slug:code>/", community, name="community"),
]
