"""REST resources of the coproduction app, one module per subject; `routes` lists them all."""

from common.api import Route
from coproduction.api import claims, me, needs, participations, projects, reports, selection

routes: list[Route] = [
    *projects.routes,
    *participations.routes,
    *selection.routes,
    *claims.routes,
    *reports.routes,
    *me.routes,
    *needs.routes,
]
