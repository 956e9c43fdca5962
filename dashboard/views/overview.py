"""Officials' overview pages: the communities they oversee, and the dashboard of a community, street or district.

The dashboards read through dashboard.metrics over the communities the user oversees, so the
figures follow the domain's visibility rule; a community, street or district outside the
user's posts answers 404, exactly like one that does not exist.
"""

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coproduction.models import Mode, Project, Stage
from dashboard import metrics
from evaluation.models import Grade
from partners.models import Community, District, Street
from web.access import official_required


def _stage_counts() -> dict:
    return {f"projects_{stage}": Count("projects", filter=Q(projects__stage=stage)) for stage in Stage.values}


@official_required
def home(request):
    """The communities the official oversees, each with its projects counted by lifecycle stage
    in one aggregate query, and the street and district roll-ups their posts open."""
    communities = list(
        Community.objects.overseen_by(request.user)
        .select_related("street__district")
        .annotate(**_stage_counts())
        .order_by("street__district__name", "street__name", "name")
    )
    for community in communities:
        community.stage_counts = [getattr(community, f"projects_{stage}") for stage in Stage.values]
    return render(
        request,
        "dashboard/home.html",
        {
            "communities": communities,
            "stages": Stage.choices,
            "streets": (
                Street.objects.overseen_by(request.user).select_related("district").order_by("district__name", "name")
            ),
            "districts": District.objects.overseen_by(request.user).order_by("name"),
        },
    )


# --- Charts: Chart.js configs fed to web/charts.js through json_script --------------------------
# Not animated: a dashboard is read at a glance (and screenshots show the figures, not a transition).


def _stage_chart(stages: list[dict]) -> dict:
    return {
        "type": "bar",
        "data": {
            "labels": [stage["label"] for stage in stages],
            "datasets": [
                {"label": _("Projects"), "data": [stage["count"] for stage in stages], "backgroundColor": "#0b4f6c"}
            ],
        },
        "options": {
            "animation": False,
            "indexAxis": "y",
            "plugins": {"legend": {"display": False}},
            "scales": {"x": {"beginAtZero": True, "ticks": {"precision": 0}}},
        },
    }


# One colour and one point shape per mode, so the modes differ by more than colour.
MODE_STYLE = {
    "administrative_absorption": ("#0b4f6c", "rect"),
    "authoritative_charismatic": ("#8a3b12", "triangle"),
    "complementary_advantage": ("#1b5e20", "circle"),
    "sharing_assisted": ("#5b2a86", "rectRot"),
}


def _quadrant_chart(quadrant: dict) -> dict:
    datasets = []
    for mode, (colour, shape) in MODE_STYLE.items():
        points = [{"x": p["x"], "y": p["y"], "label": p["name"]} for p in quadrant["placed"] if p["mode"] == mode]
        datasets.append(
            {
                "label": str(Mode(mode).label),
                "data": points,
                "backgroundColor": colour,
                "borderColor": colour,
                "pointStyle": shape,
                "pointRadius": 7,
            }
        )
    axis = {"min": 0, "max": 1, "ticks": {"display": False}, "grid": {"display": False}}
    return {
        "type": "scatter",
        "data": {"datasets": datasets},
        "options": {
            "animation": False,
            "aspectRatio": 1.3,
            "scales": {
                "x": {
                    **axis,
                    "title": {
                        "display": True,
                        "text": _("Resource concentration: government share of contributions →"),
                    },
                },
                "y": {**axis, "title": {"display": True, "text": _("Governance authority →")}},
            },
            # Drawn by dashboard/quadrant.js: the dividing lines, each quadrant's name, each point's label.
            "plugins": {
                "quadrant": {
                    "threshold": quadrant["threshold"],
                    "names": {
                        "high_low": str(Mode.AUTHORITATIVE_CHARISMATIC.label),
                        "high_high": str(Mode.ADMINISTRATIVE_ABSORPTION.label),
                        "low_low": str(Mode.COMPLEMENTARY_ADVANTAGE.label),
                        "low_high": str(Mode.SHARING_ASSISTED.label),
                    },
                }
            },
        },
    }


def _satisfaction_chart(trend: list[dict]) -> dict:
    return {
        "type": "line",
        "data": {
            "labels": [date_format(month["month"], "YEAR_MONTH_FORMAT") for month in trend],
            "datasets": [
                {
                    "label": _("Mean rating (1–5)"),
                    "data": [month["mean"] for month in trend],
                    "borderColor": "#0b4f6c",
                    "backgroundColor": "#0b4f6c",
                    "spanGaps": True,
                }
            ],
        },
        "options": {"animation": False, "scales": {"y": {"min": 1, "max": 5}}},
    }


GRADE_COLOURS = {"A": "#1b5e20", "B": "#0b4f6c", "C": "#7a4b00", "D": "#b00020"}


def _grade_chart(trend: list[dict]) -> dict:
    labels = [date_format(period["period_start"], "SHORT_DATE_FORMAT") for period in trend]
    datasets = [
        {
            "label": f"{grade} · {label}",
            "data": [period["grades"][grade] for period in trend],
            "backgroundColor": GRADE_COLOURS[grade],
        }
        for grade, label in Grade.choices
    ]
    return {
        "type": "bar",
        "data": {"labels": labels, "datasets": datasets},
        "options": {
            "animation": False,
            "scales": {"x": {"stacked": True}, "y": {"stacked": True, "beginAtZero": True, "ticks": {"precision": 0}}},
        },
    }


def _render_overview(request, *, title: str, scope: str, communities: QuerySet[Community], context: dict):
    figures = metrics.overview(communities, now=timezone.now())
    charts = {
        "stage_chart": _stage_chart(figures["stages"]),
        "quadrant_chart": _quadrant_chart(figures["quadrant"]),
        "satisfaction_chart": _satisfaction_chart(figures["satisfaction"]),
        "grade_chart": _grade_chart(figures["grades"]),
    }
    return render(
        request,
        "dashboard/overview.html",
        {
            "title": title,
            "scope": scope,
            "figures": figures,
            "grades": Grade.choices,
            **charts,
            **context,
        },
    )


@official_required
def community(request, code):
    """One community's dashboard; a community outside the official's posts answers 404."""
    community = get_object_or_404(
        Community.objects.overseen_by(request.user).select_related("street__district"), code=code
    )
    projects = (
        Project.objects.visible_to(request.user)
        .filter(community=community)
        .select_related("service_item")
        .order_by("name")
    )
    return _render_overview(
        request,
        title=community.name,
        scope="community",
        communities=Community.objects.filter(pk=community.pk),
        context={"community": community, "projects": projects},
    )


@official_required
def street(request, street_id):
    """A street's (or town's) dashboard over all its communities: for its officials, the district's and
    administrators."""
    street = get_object_or_404(Street.objects.overseen_by(request.user).select_related("district"), pk=street_id)
    communities = Community.objects.filter(street=street).order_by("name")
    return _render_overview(
        request,
        title=street.name,
        scope="street",
        communities=communities,
        context={"street": street, "communities": communities},
    )


@official_required
def district(request, district_id):
    """A district's dashboard over every community of its streets: for its officials and administrators."""
    district = get_object_or_404(District.objects.overseen_by(request.user), pk=district_id)
    communities = (
        Community.objects.filter(street__district=district).select_related("street").order_by("street__name", "name")
    )
    return _render_overview(
        request,
        title=district.name,
        scope="district",
        communities=communities,
        context={"district": district, "communities": communities, "streets": district.streets.order_by("name")},
    )


urls = [
    path("", home, name="home"),
    path("communities/<slug:code>/", community, name="community"),
    path("streets/<int:street_id>/", street, name="street"),
    path("districts/<int:district_id>/", district, name="district"),
]
