"""Domain events and extension points of the accountability app, for the apps above it to act on.

This app may not import evaluation, yet evaluation follows up some of its events (a resolved
breach changes the trust scores) and owns a figure its supervision reports show (residents'
satisfaction, from the ratings). Each signal below says when it is sent, inside or after the
transaction, and with which keyword arguments; the receivers are connected in the higher apps'
receivers.py, imported by their AppConfig.ready().
"""

from django.dispatch import Signal

breach_resolved = Signal()
"""
Sent by breach_resolve() once the breach is saved as resolved and its sanction applied (the
organisation suspended or blacklisted), inside the same transaction.

Arguments:

- ``sender``: the Breach class.
- ``breach``: the resolved Breach (status resolved, with its resolution and sanction).
- ``by``: the official or administrator who resolved it.

A receiver that raises rolls the resolution back with it; work that must wait for the commit
(a background task) is queued with jobs.execution.enqueue_on_commit().
"""

supervision_satisfaction = Signal()
"""
Sent by supervision_reports_build() while it computes the figures of a period's reports, inside
its transaction, to collect the residents' satisfaction of each community (the ratings are the
evaluation app's data).

Arguments:

- ``sender``: the SupervisionReport class.
- ``projects``: a QuerySet of the projects of every community being reported on.
- ``start``, ``end``: the period's first and last day (dates). Residents rate a project once per
  calendar month, so the ratings that count are those for the months the period touches.

Each receiver returns ``{community id: {"ratings": <int>, "mean": <float or None>}}`` for the
communities that have ratings, read with a fixed number of queries whatever the number of
communities (one GROUP BY community query); a community it leaves out has no ratings in the
period. When several receivers answer for a community, the last one connected wins.
"""
