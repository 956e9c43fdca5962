"""The credibility record reviewers see beside each applicant: trust score, open breaches, past grades.

Selection rests on credibility, so the officials who score a call see, for every applicant, its
latest trust score, how many of its breaches are still open and the grades of the evaluations of
projects it delivered. All three are part of the record every signed-in user may read (the trust
score publishes the open-breach count in its details, the public pages publish the grades), so
they are read platform-wide, not narrowed to the reviewer's communities. Each kind is read once
for all applicants of the page: three queries whatever their number.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, Subquery

from accountability.models import Breach, BreachStatus
from coproduction.models import ParticipationRole
from evaluation.models import Evaluation, Grade, TrustScore

# The grades shown per applicant, newest first; older ones are counted in the trust score.
GRADES_SHOWN = 5
# Evaluations that say how an organisation delivered: those of the projects it provided or led.
DELIVERING_ROLES = (ParticipationRole.PROVIDER, ParticipationRole.LEAD)


@dataclass
class GradeSeen:
    grade: str
    label: str
    project: str
    period_end: object


@dataclass
class ApplicantRecord:
    trust_score: Decimal | None = None
    trust_computed_on: object = None
    open_breaches: int = 0
    grades: list[GradeSeen] = field(default_factory=list)


def applicant_records(organisation_ids) -> dict[int, ApplicantRecord]:
    """Each organisation's record, keyed by its id; an organisation with none has an empty record."""
    ids = set(organisation_ids)
    records = {pk: ApplicantRecord() for pk in ids}
    if not ids:
        return records

    latest = TrustScore.objects.filter(organisation=OuterRef("organisation")).order_by("-computed_on").values("pk")[:1]
    for score in TrustScore.objects.filter(organisation__in=ids, pk=Subquery(latest)).only(
        "organisation_id", "score", "computed_on"
    ):
        records[score.organisation_id].trust_score = score.score
        records[score.organisation_id].trust_computed_on = score.computed_on

    open_counts = (
        Breach.objects.filter(organisation__in=ids, status=BreachStatus.OPEN)
        .order_by()
        .values("organisation")
        .annotate(count=Count("pk"))
    )
    for row in open_counts:
        records[row["organisation"]].open_breaches = row["count"]

    # As the trust score counts them: the organisation delivered the project during the evaluated period.
    delivered = Q(
        project__participations__organisation__in=ids,
        project__participations__role__in=DELIVERING_ROLES,
        project__participations__joined_on__lte=F("period_end"),
    ) & (Q(project__participations__left_on__isnull=True) | Q(project__participations__left_on__gte=F("period_start")))
    rows = (
        Evaluation.objects.filter(delivered)
        .order_by("-period_end", "-pk")
        .values_list("project__participations__organisation", "pk", "grade", "project__name", "period_end")
        .distinct()
    )
    seen: dict[int, set[int]] = defaultdict(set)
    labels = dict(Grade.choices)
    for organisation_id, evaluation_id, grade, project_name, period_end in rows:
        grades = records[organisation_id].grades
        if evaluation_id in seen[organisation_id] or len(grades) >= GRADES_SHOWN:
            continue
        seen[organisation_id].add(evaluation_id)
        grades.append(GradeSeen(grade=grade, label=str(labels[grade]), project=project_name, period_end=period_end))
    return records
