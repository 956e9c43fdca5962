"""REST resources of the evaluation app."""

routes = []
