"""Officials' selection pages: calls for partners, reviews, conflicts and the award.

Reads go through `visible_to` narrowed to the communities the official oversees; writes call the
services of coproduction.services.selection, whose refusals show inline. The service list has its own module.
"""

from decimal import Decimal
from typing import TYPE_CHECKING, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduction.models import Application, ApplicationStatus, Call, CallStatus, ConflictDeclaration, Review
from coproduction.selectors.selection import application_ranking, reviews_missing
from coproduction.services.selection import (
    call_award,
    call_cancel,
    call_open,
    call_under_way,
    conflict_declare,
    review_refusal,
    review_submit,
)
from dashboard.applicant_record import ApplicantRecord, applicant_records
from dashboard.forms.selection import (
    AwardForm,
    CallOpenForm,
    CancelForm,
    ConflictForm,
    CriterionFormSet,
    ReviewForm,
    criteria_from,
)
from dashboard.views.projects import overseen_project_or_404
from partners.models import Community, Organisation
from web.access import official_required
from web.workflows import call_service

if TYPE_CHECKING:

    class CallPageApplication(Application):
        """An application on the call page: what `application_ranking` annotates and `_render_call` sets."""

        mean_total: Decimal | None
        review_count: int
        rank: int | None
        missing_reviews: int
        reviewed_by_me: bool
        record: ApplicantRecord
else:
    CallPageApplication = Application

# --- Calls of a community ---------------------------------------------------------------------


def overseen_calls(user):
    return Call.objects.visible_to(user).filter(project__community__in=Community.objects.overseen_by(user).values("pk"))


@official_required
def community_calls(request, code):
    """A community's calls for partners, newest first, with how many applications each has."""
    community = get_object_or_404(Community.objects.overseen_by(request.user), code=code)
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
    return render(
        request,
        "dashboard/selection/call_open.html",
        {
            "project": project,
            "form": form,
            "criteria": criteria,
            # Said before the official fills the form in: call_open refuses a second call under way.
            "under_way": call_under_way(project) if request.method == "GET" else None,
        },
    )


# --- One call: ranking, review, conflicts, award, cancel ---------------------------------------


def _overseen_call_or_404(user, pk: int) -> Call:
    return get_object_or_404(
        overseen_calls(user).select_related("project__community", "project__service_item", "awarded_application"),
        pk=pk,
    )


def _rank(ranking: list[CallPageApplication]) -> None:
    """Set `rank` from the scores alone: ties share a rank, and an application not yet scored has none."""
    rank, previous = 0, None
    for position, application in enumerate(ranking, start=1):
        if application.mean_total is None:
            application.rank = None
            continue
        if application.mean_total != previous:
            rank, previous = position, application.mean_total
        application.rank = rank


def _render_call(request, call: Call, *, award_form=None, cancel_form=None, conflict_form=None):
    ranked = list(application_ranking(call))
    missing = reviews_missing(ranked, min_reviewers=call.min_reviewers)
    ranking = cast("list[CallPageApplication]", ranked)
    reviewed = set(
        Review.objects.filter(application__call=call, reviewer=request.user).values_list("application_id", flat=True)
    )
    records = applicant_records(application.organisation_id for application in ranking)
    _rank(ranking)
    for application in ranking:
        application.missing_reviews = missing.get(application, 0)
        application.reviewed_by_me = application.pk in reviewed
        application.record = records[application.organisation_id]
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
        # The review and award forms are offered only when the service would accept them.
        "reviewing_open": review_refusal(call) is None,
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
    refusal = review_refusal(application.call)
    if refusal is not None:
        # Before the deadline (or once decided) there is nothing to score: say when reviewing opens.
        return render(
            request,
            "dashboard/selection/review.html",
            {
                "application": application,
                "form": None,
                "refusal": refusal.message,
                "record": applicant_records([application.organisation_id])[application.organisation_id],
            },
        )
    criteria = list(application.call.criteria.all())
    form = ReviewForm(request.POST or None, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        try:
            review = call_service(
                form,
                review_submit,
                application=application,
                reviewer=request.user,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
            )
        except PermissionDenied as refusal:
            # A declared conflict or a membership of the applicant: the reason belongs on the form.
            form.add_error(None, str(refusal))
            review = None
        if review is not None:
            messages.success(
                request,
                _("Your review of %(organisation)s is recorded.")
                % {
                    "organisation": application.organisation,
                },
            )
            return redirect("dashboard:call_detail", pk=application.call_id)
    return render(
        request,
        "dashboard/selection/review.html",
        {
            "application": application,
            "form": form,
            "record": applicant_records([application.organisation_id])[application.organisation_id],
        },
    )


@official_required
@require_POST
def call_conflict(request, pk):
    """The official declares a conflict of interest with an applicant, for this call or all."""
    call = _overseen_call_or_404(request.user, pk)
    form = ConflictForm(request.POST, organisations=Organisation.objects.filter(applications__call=call))
    if form.is_valid():
        conflict = call_service(
            form,
            conflict_declare,
            reviewer=request.user,
            organisation=form.cleaned_data["organisation"],
            reason=form.cleaned_data["reason"],
            call=call if form.cleaned_data["scope"] == form.SCOPE_CALL else None,
        )
        if conflict is not None:
            messages.success(
                request,
                _("Your conflict of interest with %(organisation)s is recorded.")
                % {
                    "organisation": conflict.organisation,
                },
            )
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
            form,
            call_award,
            call=call,
            application=form.cleaned_data["application"],
            user=request.user,
            reason=form.cleaned_data["reason"],
        )
        if awarded is not None:
            messages.success(
                request,
                _("The call is awarded to %(organisation)s.")
                % {
                    "organisation": form.cleaned_data["application"].organisation,
                },
            )
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
    path("communities/<slug:code>/calls/", community_calls, name="community_calls"),
    path("projects/<int:pk>/calls/new/", call_open_page, name="call_open"),
    path("calls/<int:pk>/", call_detail, name="call_detail"),
    path("calls/<int:pk>/conflict/", call_conflict, name="call_conflict"),
    path("calls/<int:pk>/award/", call_award_page, name="call_award"),
    path("calls/<int:pk>/cancel/", call_cancel_page, name="call_cancel"),
    path("applications/<int:pk>/review/", application_review, name="application_review"),
]
