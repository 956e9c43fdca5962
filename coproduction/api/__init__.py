"""REST resources of the coproduction app, one module per subject; `routes` lists them all."""
from . import projects, tasks

routes = [*projects.routes, *tasks.routes]
