"""The organisations' record as others see it: breaches and sanctions, evaluations, trust scores."""

from django.shortcuts import render

from evaluation.services import trust_scores as trust
from partner_portal.selectors import breaches_of, evaluations_of, organisations_with_trust
from web.access import staff_required


@staff_required
def record(request):
    return render(
        request,
        "partner_portal/record.html",
        {
            "organisations": organisations_with_trust(request.user),
            "breaches": breaches_of(request.user),
            "evaluations": evaluations_of(request.user),
        },
    )


@staff_required
def trust_score_explained(request):
    """The rule of evaluation.services.trust_scores in plain words, with the figures it uses (docs/trust-score.md)."""
    return render(
        request,
        "partner_portal/trust_score.html",
        {
            "default_evaluation": trust.DEFAULT_EVALUATION,
            "evaluation_years": trust.EVALUATION_YEARS,
            "per_open_breach": trust.PER_OPEN_BREACH,
            "per_resolved_breach": trust.PER_RECENTLY_RESOLVED_BREACH,
            "per_severe_sanction": trust.PER_SEVERE_SANCTION,
            "deduction_cap": trust.DEDUCTION_CAP,
        },
    )
