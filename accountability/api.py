"""REST resources of the accountability app."""

routes = []
