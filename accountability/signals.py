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

complaint_routed = Signal()
"""
Sent whenever a complaint is put before a party to answer, inside the transaction that does it:
by complaint_file() once it is filed, by complaint_reroute() once an official sends it to
another party, and by complaint_reopen() once the resident reopens it with a new deadline.

Arguments:

- ``sender``: the Complaint class.
- ``complaint``: the Complaint (``routed_to`` and ``response_due_at`` as now on record).
- ``reason``: why it was routed: ``"filed"``, ``"rerouted"`` or ``"reopened"``.
- ``at``: the moment of the routing (an aware datetime), the same for every receiver.
- ``by``: the user who caused it (the resident's account, or the official who re-routed it).

A receiver that raises rolls the routing back with it.
"""

complaint_answered = Signal()
"""
Sent by complaint_answer() once the response is saved (status answered, ``responded_at`` set),
inside the same transaction.

Arguments:

- ``sender``: the Complaint class.
- ``complaint``: the answered Complaint.
- ``by``: the member of the organisation, or the official, who answered.

A receiver that raises rolls the answer back with it.
"""

complaint_closed = Signal()
"""
Sent by complaint_close() once an official has closed the complaint with a note (status closed,
``closed_at`` and ``closing_note`` set), inside the same transaction. A resident confirming the
answer closes it too, but that is the resident's own act and sends nothing.

Arguments:

- ``sender``: the Complaint class.
- ``complaint``: the closed Complaint.
- ``by``: the official who closed it.

A receiver that raises rolls the closing back with it.
"""

breach_opened = Signal()
"""
Sent by breach_open() when it records a new breach, inside the same transaction; not when it
returns the record already on file for the same miss. The daily job's set-based detection
(breach_detection) writes its breaches without this signal.

Arguments:

- ``sender``: the Breach class.
- ``breach``: the new Breach (status open, with its kind, severity, project and organisation).
- ``by``: who detected it (an inspector, or ``common.actors.TRUSTED`` for the platform).

A receiver that raises rolls the new breach back with it.
"""

breaches_detected = Signal()
"""
Sent by the daily job (breach_detection.recompute_accountability) once it has opened new breaches of
one kind, set-based, inside the transaction that inserts them and their audit entries; not sent for a
kind with no new breach. breach_open() sends ``breach_opened`` instead, one breach at a time.

Arguments:

- ``sender``: the Breach class.
- ``breaches``: a QuerySet of the breaches just opened (one kind, all stamped with this run's moment).
- ``by``: ``common.actors.TRUSTED``, the platform's job.

Receivers read ``breaches`` set-based, in a fixed number of queries whatever its size: the job's
query count must not grow with the data. A receiver that raises rolls the kind's new breaches back.
"""
