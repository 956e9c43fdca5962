"""Domain events and extension points of the coproduction app, for the apps above it to act on.

This app may not import accountability or evaluation, yet some of its events are theirs to
follow up (an award with a single applicant is a rent-seeking red flag; a loss-making report
may signal financial unsustainability), and a project's move through its lifecycle depends on
their data too (every duty has its accountable party; closing needs a final evaluation). Each
signal below says when it is sent, inside or after the transaction, and with which keyword
arguments; the receivers are connected in the higher apps' receivers.py, imported by their
AppConfig.ready().
"""

from django.dispatch import Signal

call_awarded = Signal()
"""
Sent by call_award() once the call is awarded, the other applications closed and the winner
made a provider of the project, inside the same transaction.

Arguments:

- ``sender``: the Call class.
- ``call``: the awarded Call (``awarded_application``, ``single_applicant`` and
  ``against_ranking`` set).
- ``by``: the official who awarded it.

A receiver that raises rolls the award back with it.
"""

report_submitted = Signal()
"""
Sent by report_submit() once a new service report is saved with its attachments, and by
report_resubmit() once a returned or withdrawn report is saved as its next revision, inside the
same transaction.

Arguments:

- ``sender``: the ServiceReport class.
- ``report``: the submitted ServiceReport (status submitted; ``revision`` 1 for a new report).
- ``by``: the provider's staff member who submitted it.

A receiver that raises rolls the submission back with it.
"""

report_reviewed = Signal()
"""
Sent by report_review() once an official has accepted a submitted service report or returned it
with a comment, inside the same transaction. Nothing in the platform receives it yet: it is the
public event for telling the provider's staff how their report was judged (notifications).

Arguments:

- ``sender``: the ServiceReport class.
- ``report``: the reviewed ServiceReport (status accepted or returned, with ``review_comment``).
- ``by``: the official who reviewed it.

A receiver that raises rolls the review back with it; a notification is sent once the review
commits (``transaction.on_commit``), so a rolled-back review is never announced.
"""

lifecycle_guard = Signal()
"""
Sent by missing_for() whenever the platform asks what stops a project moving to another stage:
by project_transition() before it moves the project (inside its transaction, the project locked),
and by the project API to list what each next stage still needs (outside any transaction).

Arguments:

- ``sender``: the Project class.
- ``project``: the Project.
- ``to_stage``: the stage asked for (a Stage value).

Each receiver returns a list of messages in the reader's language, one per thing missing on its
own data for that stage, or an empty list when nothing is missing (and for the stages it does
not guard). The move is refused, naming every message, while any receiver returns one. This
app's own guards (coproduction.services.lifecycle) are asked first.
"""

need_answered = Signal()
"""
Sent by need_answer() once an official's answer is saved (status planned, declined or merged,
with ``response`` and ``responded_at``), inside the same transaction. A planned need answered
again (merged or declined after all) sends it again.

Arguments:

- ``sender``: the Need class.
- ``need``: the answered Need.
- ``by``: the official who answered.

A receiver that raises rolls the answer back with it.
"""

claim_created = Signal()
"""
Sent by claim_create() once the resident's place on the task is taken and the claim saved
(status active), inside the same transaction.

Arguments:

- ``sender``: the Claim class.
- ``claim``: the new Claim (its ``task`` loaded).
- ``by``: who acted: the resident's account, an official registering the claim for them, or
  ``common.actors.TRUSTED``.

A receiver that raises rolls the claim back with it, and the place with it.
"""
