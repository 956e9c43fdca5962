"""REST resources of the coproduction app, one module per subject; `routes` lists them all."""
from . import participations, projects, selection, tasks
from . import jobs, me, needs, reports

routes = [*projects.routes, *participations.routes, *selection.routes, *tasks.routes, *reports.routes, *jobs.routes,
          *me.routes, *needs.routes]
