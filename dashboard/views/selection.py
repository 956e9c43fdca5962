"""Officials' selection pages: the service list, calls for partners, reviews, conflicts and the award.

Reads go through `visible_to` narrowed to the communities the official oversees; writes call the
services of services.services and coproduction.selection, whose refusals show inline.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduction.models import Application, ApplicationStatus, Call, CallStatus, ConflictDeclaration, Review
from coproduction.selection import call_award, call_cancel, call_open, conflict_declare, review_submit
from coproduction.selectors import application_ranking, reviews_missing
from partners.models import Organisation
from partners.roles import may_maintain_service_list
from services.models import ListItemStatus, ServiceListItem
from services.services import list_item_new_version, list_item_publish
from web.access import official_required
from web.workflows import call_service

from ..forms.selection import (
    AwardForm,
    CallOpenForm,
    CancelForm,
    ConflictForm,
    CriterionFormSet,
    ReviewForm,
    criteria_from,
)
from ..oversight import overseen_communities
from .projects import overseen_project_or_404

# --- The service list ------------------------------------------------------------------------


@official_required
def service_list(request):
    """Every version of every item the official may see; maintainers also publish and revise."""
    items = (
        ServiceListItem.objects.visible_to(request.user)
        .select_related("category")
        .order_by("category__name", "code", "-version")
    )
    return render(request, "dashboard/selection/service_list.html", {
        "items": items, "may_maintain": may_maintain_service_list(request.user),
    })


def _maintained_item(request, pk: int) -> ServiceListItem:
    """The item, for a user who maintains the list; everyone else is refused before any lookup."""
    if not may_maintain_service_list(request.user):
        raise PermissionDenied(_("Only an administrator or a street or district official may change the service list."))
    return get_object_or_404(ServiceListItem.objects.visible_to(request.user), pk=pk)


@official_required
@require_POST
def service_item_publish(request, pk):
    item = _maintained_item(request, pk)
    if item.status != ListItemStatus.DRAFT:
        messages.error(request, _("Only a draft can be published; %(item)s is not a draft.") % {"item": item})
    else:
        list_item_publish(item=item, user=request.user)
        messages.success(request, _("%(item)s is published; the version it replaces is retired.") % {"item": item})
    return redirect("dashboard:service_list")


@official_required
@require_POST
def service_item_new_version(request, pk):
    draft = list_item_new_version(item=_maintained_item(request, pk), user=request.user)
    messages.success(request, _("Draft %(item)s created: edit it, then publish it.") % {"item": draft})
    return redirect("dashboard:service_list")


# --- Calls of a community ---------------------------------------------------------------------


def overseen_calls(user):
    return Call.objects.visible_to(user).filter(project__community__in=overseen_communities(user).values("pk"))


@official_required
def community_calls(request, code):
    """A community's calls for partners, newest first, with how many applications each has."""
    community = get_object_or_404(overseen_communities(request.user), code=code)
    calls = (
        overseen_calls(request.user)
        .filter(project__community=community)
        .select_related("project", "awarded_application__organisation")
        .annotate(application_count=Count("applications", filter=~Q(applications__status=ApplicationStatus.WITHDRAWN)))
        .order_by("-opened_at")
    )
    return render(request, "dashboard/selection/calls.html", {"community": community, "calls": calls})


@official_required
def call_open_page(request, pk):
    """Open a call for partners on a project in design, with its weighted criteria."""
    project = overseen_project_or_404(request.user, pk)
    form = CallOpenForm(request.POST or None)
    criteria = CriterionFormSet(request.POST or None, prefix="criteria")
    if request.method == "POST" and form.is_valid() and criteria.is_valid():
        call = call_service(
            form, call_open, project=project, user=request.user, criteria=criteria_from(criteria), **form.cleaned_data
        )
        if call is not None:
            messages.success(request, _("The call “%(call)s” is open.") % {"call": call.title})
            return redirect("dashboard:call_detail", pk=call.pk)
    return render(request, "dashboard/selection/call_open.html", {
        "project": project, "form": form, "criteria": criteria,
    })


# --- One call: ranking, review, conflicts, award, cancel ---------------------------------------


def _overseen_call_or_404(user, pk: int) -> Call:
    return get_object_or_404(
        overseen_calls(user).select_related("project__community", "project__service_item", "awarded_application"),
        pk=pk,
    )


def _render_call(request, call: Call, *, award_form=None, cancel_form=None, conflict_form=None):
    ranking = list(application_ranking(call))
    missing = reviews_missing(ranking, min_reviewers=call.min_reviewers)
    reviewed = set(
        Review.objects.filter(application__call=call, reviewer=request.user).values_list("application_id", flat=True)
    )
    for application in ranking:
        application.missing_reviews = missing.get(application, 0)
        application.reviewed_by_me = application.pk in reviewed
    organisations = Organisation.objects.filter(applications__call=call).order_by("name")
    context = {
        "call": call,
        "ranking": ranking,
        "missing_total": sum(missing.values()),
        "criteria": call.criteria.all(),
        "my_conflicts": ConflictDeclaration.objects.filter(reviewer=request.user)
        .filter(Q(call=call) | Q(call__isnull=True))
        .select_related("organisation"),
        "decided": call.status in (CallStatus.AWARDED, CallStatus.CANCELLED),
        "award_form": award_form or AwardForm(ranking=ranking),
        "cancel_form": cancel_form or CancelForm(),
        "conflict_form": conflict_form or ConflictForm(organisations=organisations),
    }
    return render(request, "dashboard/selection/call_detail.html", context)


@official_required
def call_detail(request, pk):
    """The applications ranked by mean review total, the reviews still missing, and the decisions."""
    return _render_call(request, _overseen_call_or_404(request.user, pk))


@official_required
def application_review(request, pk):
    """Score an application on each criterion of its call; a conflict of interest is refused here."""
    application = get_object_or_404(
        Application.objects.visible_to(request.user)
        .filter(call__in=overseen_calls(request.user).values("pk"))
        .select_related("organisation", "call__project"),
        pk=pk,
    )
    criteria = list(application.call.criteria.all())
    form = ReviewForm(request.POST or None, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        try:
            review = call_service(
                form, review_submit, application=application, reviewer=request.user, scores=form.scores(),
                comment=form.cleaned_data["comment"],
            )
        except PermissionDenied as refusal:
            # A declared conflict or a membership of the applicant: the reason belongs on the form.
            form.add_error(None, str(refusal))
            review = None
        if review is not None:
            messages.success(request, _("Your review of %(organisation)s is recorded.") % {
                "organisation": application.organisation,
            })
            return redirect("dashboard:call_detail", pk=application.call_id)
    return render(request, "dashboard/selection/review.html", {"application": application, "form": form})


@official_required
@require_POST
def call_conflict(request, pk):
    """The official declares a conflict of interest with an applicant, for this call or all."""
    call = _overseen_call_or_404(request.user, pk)
    form = ConflictForm(request.POST, organisations=Organisation.objects.filter(applications__call=call))
    if form.is_valid():
        conflict = call_service(
            form, conflict_declare, reviewer=request.user, organisation=form.cleaned_data["organisation"],
            reason=form.cleaned_data["reason"], call=call if form.cleaned_data["scope"] == form.SCOPE_CALL else None,
        )
        if conflict is not None:
            messages.success(request, _("Your conflict of interest with %(organisation)s is recorded.") % {
                "organisation": conflict.organisation,
            })
            return redirect("dashboard:call_detail", pk=call.pk)
    return _render_call(request, call, conflict_form=form)


@official_required
@require_POST
def call_award_page(request, pk):
    """Award the call to one application, with the reason; refused until every review is in."""
    call = _overseen_call_or_404(request.user, pk)
    form = AwardForm(request.POST, ranking=list(application_ranking(call)))
    if form.is_valid():
        awarded = call_service(
            form, call_award, call=call, application=form.cleaned_data["application"], user=request.user,
            reason=form.cleaned_data["reason"],
        )
        if awarded is not None:
            messages.success(request, _("The call is awarded to %(organisation)s.") % {
                "organisation": form.cleaned_data["application"].organisation,
            })
            return redirect("dashboard:call_detail", pk=call.pk)
    return _render_call(request, call, award_form=form)


@official_required
@require_POST
def call_cancel_page(request, pk):
    call = _overseen_call_or_404(request.user, pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        cancelled = call_service(form, call_cancel, call=call, user=request.user, reason=form.cleaned_data["reason"])
        if cancelled is not None:
            messages.success(request, _("The call is cancelled."))
            return redirect("dashboard:call_detail", pk=call.pk)
    return _render_call(request, call, cancel_form=form)


urls = [
    path("service-list/", service_list, name="service_list"),
    path("service-list/<int:pk>/publish/", service_item_publish, name="service_item_publish"),
    path("service-list/<int:pk>/new-version/", service_item_new_version, name="service_item_new_version"),
    path("communities/<slug:code>/calls/", community_calls, name="community_calls"),
    path("projects/<int:pk>/calls/new/", call_open_page, name="call_open"),
    path("calls/<int:pk>/", call_detail, name="call_detail"),
    path("calls/<int:pk>/conflict/", call_conflict, name="call_conflict"),
    path("calls/<int:pk>/award/", call_award_page, name="call_award"),
    path("calls/<int:pk>/cancel/", call_cancel_page, name="call_cancel"),
    path("applications/<int:pk>/review/", application_review, name="application_review"),
]
