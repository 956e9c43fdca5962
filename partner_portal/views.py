"""Partner organisations' pages: the user's organisations and the projects they take part in."""
from django.db.models import Prefetch
from django.shortcuts import render

from coproduction.models import Participation
from partners.roles import organisations_of
from web.access import staff_required


@staff_required
def home(request):
    """Each organisation the user works for, with its part in each project (two queries)."""
    participations = Participation.objects.select_related("project__community").order_by("project__name", "role")
    organisations = organisations_of(request.user).prefetch_related(
        Prefetch("participations", queryset=participations, to_attr="project_parts")
    )
    return render(request, "partner_portal/home.html", {"organisations": organisations})
