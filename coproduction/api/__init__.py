"""REST resources of the coproduction app, one module per subject; `routes` lists them all."""
from coproduction.api import me, needs, participations, projects, reports, selection, tasks

routes = [*projects.routes, *participations.routes, *selection.routes, *tasks.routes, *reports.routes, *me.routes,
          *needs.routes]
