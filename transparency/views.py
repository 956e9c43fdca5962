"""Public pages, no login: the communities, and what is delivered in each."""
from django.shortcuts import get_object_or_404, render

from coproduction.models import Project, Stage
from partners.models import Community


def _communities():
    # Every community is public: publishing who delivers what is the point of these pages.
    return Community.objects.select_related("street__district")


def home(request):
    """Every community, by district and street, with a link to its public page."""
    communities = _communities().order_by("street__district__name", "street__name", "name")
    return render(request, "transparency/home.html", {"communities": communities})


def community(request, code):
    """One community's projects that have left the design stage (designs are not yet public)."""
    community = get_object_or_404(_communities(), code=code)
    projects = (
        Project.objects.filter(community=community).exclude(stage=Stage.DESIGN)
        .select_related("service_item").order_by("name")
    )
    return render(request, "transparency/community.html", {"community": community, "projects": projects})
