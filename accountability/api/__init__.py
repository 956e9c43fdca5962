"""REST resources of the accountability app, one module per subject; `routes` lists them all.

Reads are scoped by each model's `visible_to`; writes and workflow actions call the same domain
functions as the pages (accountability.services.duties, .complaints, .inspections, .breaches, .risks),
so every rule, permission check and audit entry stays in one place. A record named in the
request body must be one the caller may see: any other id is answered as if it did not exist.
"""

from accountability.api import breaches, complaints, duties, inspections, risks, supervision_reports

routes = [
    *duties.routes,
    *complaints.routes,
    *inspections.routes,
    *breaches.routes,
    *risks.routes,
    *supervision_reports.routes,
]
