"""Officials' needs pages: a community's residents' needs, open ones first, and the answer to each.

Reads go through `Need.objects.visible_to(user)` narrowed to the communities the official
oversees; the answer calls coproduction.services.needs.need_answer, as the API does. The list makes the
same number of queries whatever its length.
"""

from django.contrib import messages
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from coproduction.models import Need, NeedStatus, Project, Stage
from coproduction.services.needs import AWAITING_ANSWER, need_answer
from dashboard.forms.needs import NeedAnswerForm, NeedFilterForm
from partners.models import Community
from web.access import official_required
from web.workflows import call_service

LIST_LIMIT = 200
# Open needs wait for an answer, planned ones for their project: those come first.
_STATUS_ORDER = Case(
    When(status=NeedStatus.OPEN, then=Value(0)),
    When(status=NeedStatus.PLANNED, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def _community(request, code: str):
    return get_object_or_404(Community.objects.overseen_by(request.user).select_related("street__district"), code=code)


def _overseen_needs(user):
    return Need.objects.visible_to(user).filter(community__in=Community.objects.overseen_by(user).values("pk"))


@official_required
def need_list(request, code):
    """A community's needs, open ones first then newest first, with how many match and how many are open."""
    community = _community(request, code)
    form = NeedFilterForm(request.GET or None)
    needs = _overseen_needs(request.user).filter(community=community)
    counts = needs.aggregate(total=Count("pk"), open=Count("pk", filter=Q(status=NeedStatus.OPEN)))
    matching = needs.filter(**form.filters())
    rows = (
        matching.select_related("resident", "service_item", "project", "responded_by")
        .annotate(status_order=_STATUS_ORDER)
        .order_by("status_order", "-created_at", "-pk")[:LIST_LIMIT]
    )
    return render(
        request,
        "dashboard/needs/list.html",
        {
            "community": community,
            "form": form,
            "needs": rows,
            "section": "needs",
            "matching": matching.count() if form.filters() else counts["total"],
            "open": counts["open"],
            "answerable": AWAITING_ANSWER,
        },
    )


@official_required
def need_answer_page(request, pk):
    """Answer a need: planned (saying what), declined (saying why) or merged into a project of the community."""
    need = get_object_or_404(
        _overseen_needs(request.user).select_related("community", "resident", "service_item", "project"), pk=pk
    )
    community = need.community
    projects = (
        Project.objects.visible_to(request.user)
        .filter(community=community)
        .exclude(stage=Stage.CLOSED)
        .order_by("name")
    )
    form = NeedAnswerForm(request.POST or None, projects=projects)
    if request.method == "POST" and form.is_valid():
        answered = call_service(form, need_answer, need=need, user=request.user, **form.cleaned_data)
        if answered is not None:
            messages.success(
                request,
                _("Answer recorded: %(status)s. The resident sees it on their needs page.")
                % {"status": answered.get_status_display()},
            )
            return redirect(reverse("dashboard:need_list", kwargs={"code": community.code}))
    return render(
        request,
        "dashboard/needs/answer.html",
        {
            "need": need,
            "community": community,
            "form": form,
            "section": "needs",
            "answerable": need.status in AWAITING_ANSWER or bool(form.errors),
        },
    )


urls = [
    path("communities/<slug:code>/needs/", need_list, name="need_list"),
    path("needs/<int:pk>/answer/", need_answer_page, name="need_answer"),
]
