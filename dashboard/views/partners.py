"""Officials' page of a community's partners: each organisation taking part in its projects, with its trust score.

The score is evaluation.services.trust_scores's, read as computed by the daily job (the latest row of each
organisation) and explained by its parts and by the rule with its figures (docs/trust-score.md).
Two queries for the list whatever the number of organisations: the organisations with the id of
their latest score, then those scores.
"""

from django.db.models import Count, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404, render
from django.urls import path

from coproduction.models import Participation
from evaluation.models import TrustScore
from evaluation.services import trust_scores as trust
from partners.models import Community, Organisation
from web.access import official_required


def _with_parts(score: TrustScore | None) -> dict | None:
    """What the template shows of a score: its figures and the counts that went into them."""
    if score is None:
        return None
    details = score.details or {}
    return {
        "score": score.score,
        "computed_on": score.computed_on,
        "evaluation_component": score.evaluation_component,
        "breach_component": score.breach_component,
        "evaluations": details.get("evaluations", 0),
        "default_used": details.get("default_evaluation_used", False),
        "open_breaches": details.get("open_breaches", 0),
        "resolved_breaches": details.get("resolved_breaches_last_year", 0),
        "severe_sanctions": details.get("severe_sanctions_last_year", 0),
        "capped": details.get("deduction_before_cap", 0) > trust.DEDUCTION_CAP,
    }


def partners_with_trust(community, user) -> list[Organisation]:
    """The organisations currently taking part in the community's projects, each with `projects`
    (how many of them) and `trust` (its latest score's parts, or None), lowest score first."""
    current = Q(participations__left_on__isnull=True, participations__project__community=community)
    taking_part = Participation.objects.visible_to(user).filter(project__community=community, left_on__isnull=True)
    latest = TrustScore.objects.filter(organisation=OuterRef("pk")).order_by("-computed_on").values("pk")[:1]
    organisations = list(
        Organisation.objects.visible_to(user)
        .filter(pk__in=taking_part.values("organisation"))
        .annotate(
            projects=Count("participations__project", filter=current, distinct=True), latest_trust=Subquery(latest)
        )
        .order_by("name")
    )
    scores = TrustScore.objects.visible_to(user).in_bulk([o.latest_trust for o in organisations if o.latest_trust])
    for organisation in organisations:
        organisation.trust = _with_parts(scores.get(organisation.latest_trust))
    # Weakest first: those are the partners an official looks at; not yet computed at the end.
    organisations.sort(key=lambda o: (o.trust is None, o.trust["score"] if o.trust else 0))
    return organisations


@official_required
def partner_list(request, code):
    """The community's partners with their trust scores, their parts, and how the score is computed."""
    community = get_object_or_404(
        Community.objects.overseen_by(request.user).select_related("street__district"), code=code
    )
    return render(
        request,
        "dashboard/partners/list.html",
        {
            "community": community,
            "section": "partners",
            "organisations": partners_with_trust(community, request.user),
            "default_evaluation": trust.DEFAULT_EVALUATION,
            "evaluation_years": trust.EVALUATION_YEARS,
            "per_open_breach": trust.PER_OPEN_BREACH,
            "per_resolved_breach": trust.PER_RECENTLY_RESOLVED_BREACH,
            "per_severe_sanction": trust.PER_SEVERE_SANCTION,
            "deduction_cap": trust.DEDUCTION_CAP,
        },
    )


urls = [
    path("communities/<slug:code>/partners/", partner_list, name="partner_list"),
]
