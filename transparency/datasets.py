"""The public downloads of a community: their stable columns, what each means, and the rows.

Column names are part of the platform's public promise: other people's spreadsheets and scripts
read them, so they are plain English snake_case, never translated, and only ever added to.
Enumerations hold their codes (listed with their meaning on the page), amounts are yuan with two
decimals, dates and times ISO 8601.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db.models import TextChoices
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from coproduction.models import Call, CallStatus, ContributionKind, Mode, Stage
from evaluation.models import Grade
from partners.models import Community, OrganisationKind
from service_list.models import Pricing, ServiceListItem, ServiceNature
from transparency import records


@dataclass(frozen=True)
class Column:
    name: str
    # Lazy text; `arguments` are put in when the page is rendered, in the reader's language.
    text: str | Promise
    choices: type[TextChoices] | None = None
    arguments: dict[str, object] = field(default_factory=dict)

    @property
    def meaning(self) -> str:
        return str(self.text) % self.arguments if self.arguments else str(self.text)

    def values(self) -> list[tuple[str, str]]:
        """The codes this column may hold with their meaning, for the page's documentation."""
        return list(self.choices.choices) if self.choices else []


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str | Promise
    description: str | Promise
    columns: list[Column]
    rows: Callable[[Community], list[dict[str, object]]] = field(repr=False)

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


# --- Rows ------------------------------------------------------------------------------------


def _award_columns(call: Call | None) -> dict:
    application = call.awarded_application if call else None
    return {
        "call": call.title if call else None,
        "awarded_to": application.organisation.name if application else None,
        "awarded_amount_yuan": application.proposed_budget if application else None,
        "award_reason": call.award_reason if call else None,
        "awarded_at": call.awarded_at if call else None,
    }


def service_list_rows(community: Community) -> list[dict]:
    """The service list is one for every community: each community's page publishes it whole."""
    return [_service_item_row(item) for item in records.service_list()]


def _service_item_row(item: ServiceListItem) -> dict:
    return {
        "code": item.code,
        "version": item.version,
        "name": item.name,
        "category": item.category.name,
        "nature": item.nature,
        "may_deliver": item.eligible_kinds,
        "standard": item.standard,
        "pricing": item.pricing,
        "unit": item.unit_label,
        "unit_price_yuan": item.unit_price,
        "subsidy_per_unit_yuan": item.subsidy_per_unit,
        "pricing_rule": item.pricing_note,
        "needs_specific_assets": item.needs_specific_assets,
        "published_at": item.published_at,
    }


def call_rows(community: Community) -> list[dict]:
    return [_call_row(community, call) for call in records.calls_of(community)]


def _call_row(community: Community, call: Call) -> dict:
    awarded = call.status == CallStatus.AWARDED
    return {
        "community": community.code,
        "call_id": call.pk,
        "title": call.title,
        "project": call.project.name,
        "service_code": call.project.service_item.code,
        "service": call.project.service_item.name,
        "status": call.status,
        "deadline": call.deadline,
        "criteria": [{"name": criterion.name, "weight": criterion.weight} for criterion in call.criteria.all()],
        **{key: value for key, value in _award_columns(call if awarded else None).items() if key != "call"},
    }


def award_rows(community: Community) -> list[dict]:
    """One row per public project and award; a project given without a call has one row with
    the award columns empty."""
    return [
        {**_project_columns(community, project), **_award_columns(call)} | _grade_columns(project)
        for project in records.projects_of(community)
        for call in _awards_or_none(project)
    ]


def _awards_or_none(project: records.PublicProject) -> Sequence[Call | None]:
    return project.awards or [None]


def _project_columns(community: Community, project: records.PublicProject) -> dict:
    return {
        "community": community.code,
        "project_id": project.pk,
        "project": project.name,
        "service_code": project.service_item.code,
        "service": project.service_item.name,
        "stage": project.stage,
        "mode": project.mode,
        "start_date": project.start_date,
        "end_date": project.end_date,
        "budget_yuan": project.budget,
        "partners": [
            {"organisation": partner.organisation.name, "kind": partner.organisation.kind, "role": partner.role}
            for partner in project.partners
        ],
        **{f"contributions_{kind}_yuan": value for kind, value in project.contributions_by_kind.items()},
        "contributions_total_yuan": project.contributions_total,
    }


def _grade_columns(project: records.PublicProject) -> dict:
    latest, final = project.latest_evaluation, project.final_evaluation
    return {
        "latest_grade": latest.grade if latest else None,
        "latest_score": latest.total if latest else None,
        "latest_period_end": latest.period_end if latest else None,
        "final_grade": final.grade if final else None,
        "final_score": final.total if final else None,
        "satisfaction_mean": project.satisfaction.mean,
        "satisfaction_ratings": project.satisfaction.ratings,
    }


# --- Columns ---------------------------------------------------------------------------------


class _PublicCallStatus(TextChoices):
    """The statuses a public call can have (calls under review or cancelled are not public)."""

    OPEN = CallStatus.OPEN.value, CallStatus.OPEN.label
    AWARDED = CallStatus.AWARDED.value, CallStatus.AWARDED.label


class _PublicStage(TextChoices):
    OPERATION = Stage.OPERATION.value, Stage.OPERATION.label
    EVALUATION = Stage.EVALUATION.value, Stage.EVALUATION.label
    CLOSED = Stage.CLOSED.value, Stage.CLOSED.label


_AWARD_COLUMNS = [
    Column("awarded_to", _("The organisation the call was awarded to.")),
    Column("awarded_amount_yuan", _("The winner's proposed budget, in yuan.")),
    Column("award_reason", _("Why the officials chose this application, as recorded with the award.")),
    Column("awarded_at", _("When the call was awarded.")),
]

SERVICE_LIST = Dataset(
    slug="service-list",
    title=_("Service list"),
    description=_("The published service list: one row per item, in its current version."),
    columns=[
        Column("code", _("The item's code, the same in every version.")),
        Column("version", _("The version now published.")),
        Column("name", _("The service.")),
        Column("category", _("The category of the service.")),
        Column("nature", _("The nature of the service."), ServiceNature),
        Column(
            "may_deliver",
            _("The kinds of organisation that may deliver it (separated by “;” in CSV)."),
            OrganisationKind,
        ),
        Column("standard", _("The service standard.")),
        Column("pricing", _("Who pays."), Pricing),
        Column("unit", _("The service unit.")),
        Column("unit_price_yuan", _("Price per unit, in yuan.")),
        Column("subsidy_per_unit_yuan", _("Subsidy per unit, in yuan.")),
        Column("pricing_rule", _("The pricing or subsidy rule.")),
        Column("needs_specific_assets", _("true when the service needs facilities fitted for one provider.")),
        Column("published_at", _("When this version was published.")),
    ],
    rows=service_list_rows,
)

CALLS = Dataset(
    slug="calls",
    title=_("Calls for partners"),
    description=_("Open and awarded calls for partners: one row per call."),
    columns=[
        Column("community", _("The community's code.")),
        Column("call_id", _("The call's number on this platform.")),
        Column("title", _("The call.")),
        Column("project", _("The project the call is for.")),
        Column("service_code", _("The code of the service-list item.")),
        Column("service", _("The service-list item.")),
        Column("status", _("Whether the call takes applications or has been awarded."), _PublicCallStatus),
        Column("deadline", _("The application deadline.")),
        Column(
            "criteria",
            _("The criteria and their weights, which add up to 100 (in CSV: “name (weight)”, separated by “;”)."),
        ),
        *_AWARD_COLUMNS,
    ],
    rows=call_rows,
)

AWARDS = Dataset(
    slug="awards",
    title=_("Projects and awards"),
    description=_(
        "Projects in operation or later: one row per project and award, with the partners, the amounts "
        "and the evaluation grades."
    ),
    columns=[
        Column("community", _("The community's code.")),
        Column("project_id", _("The project's number on this platform.")),
        Column("project", _("The project.")),
        Column("service_code", _("The code of the service-list item.")),
        Column("service", _("The service-list item.")),
        Column("stage", _("The project's stage in the lifecycle."), _PublicStage),
        Column("mode", _("The coproduction mode, empty until it can be told."), Mode),
        Column("start_date", _("The start date.")),
        Column("end_date", _("The end date.")),
        Column("budget_yuan", _("The project's budget, in yuan.")),
        Column(
            "partners",
            _("The organisations taking part, with their kind and role (in CSV: “name (role)”, separated by “;”)."),
        ),
        *[
            Column(
                f"contributions_{kind}_yuan",
                _("Contributions of this kind, valued in yuan: %(kind)s"),
                arguments={"kind": label},
            )
            for kind, label in ContributionKind.choices
        ],
        Column("contributions_total_yuan", _("All contributions, valued in yuan.")),
        Column("call", _("The awarded call (empty for a project given without a call).")),
        *_AWARD_COLUMNS,
        Column("latest_grade", _("The grade of the latest evaluation."), Grade),
        Column("latest_score", _("The total score (0–100) of the latest evaluation.")),
        Column("latest_period_end", _("The end of the period the latest evaluation covers.")),
        Column("final_grade", _("The grade of the final evaluation."), Grade),
        Column("final_score", _("The total score (0–100) of the final evaluation.")),
        Column(
            "satisfaction_mean",
            _(
                "Residents' mean satisfaction (1–5); empty under %(count)s ratings, so that no one's rating can be "
                "told."
            ),
            arguments={"count": records.MIN_RATINGS_SHOWN},
        ),
        Column("satisfaction_ratings", _("How many ratings residents gave.")),
    ],
    rows=award_rows,
)

DATASETS = {dataset.slug: dataset for dataset in (SERVICE_LIST, CALLS, AWARDS)}
