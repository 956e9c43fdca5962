"""Domain events of the coproduction app, for the apps above it to act on.

This app may not import accountability or evaluation, yet some of its events are theirs to
follow up (an award with a single applicant is a rent-seeking red flag; a loss-making report
may signal financial unsustainability). The services here send these events inside their
transaction; the receivers live in the higher apps and call their own rules, so the whole
action commits or fails together.
"""
from django.dispatch import Signal

# Sent by call_award() with call=<Call>, by=<User>.
call_awarded = Signal()

# Sent by report_submit()/report_resubmit() with report=<ServiceReport>, by=<User>.
report_submitted = Signal()

# Sent by report_review() with report=<ServiceReport>, by=<User>.
report_reviewed = Signal()
