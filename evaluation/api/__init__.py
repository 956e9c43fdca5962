"""REST resources of the evaluation app, one module per subject; `routes` lists them all.

Writes call the same domain functions as the pages and the admin (`indicators_set`,
`evaluation_create`, `evaluation_preview`, `rating_submit`); their refusals become the API's error shape in common.api.
The record a write names in its body (a service-list item, a project) is looked up among the
records the caller may see first, so another community's record is a 404 before any permission
check, as for a detail URL.
"""

from evaluation.api import evaluations, indicators, ratings, trust_scores

routes = [*indicators.routes, *evaluations.routes, *ratings.routes, *trust_scores.routes]
