"""REST resources of the audit app."""

routes = []
