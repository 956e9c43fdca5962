"""Extension points of the jobs app for the apps whose jobs it runs: the names of their runs' counters.

A job's work returns counts ({counter: number}) that its run records (JobRun.counts); the apps
whose jobs they are know what each counter counts, and this app may not import them. Each signal
below says when it is sent, with which keyword arguments and what its receivers return; the
receivers are connected in the apps' receivers.py, imported by their AppConfig.ready().
"""

from django.dispatch import Signal

job_count_labels_requested = Signal()
"""
Sent by job_count_labels() whenever a run's counters are shown by name (the admin's job runs);
no transaction is involved and nothing is written.

Arguments:

- ``sender``: the JobRun class.

Each receiver returns ``{counter: label}`` for the counters its app's jobs record, each label in
the reader's language (a lazy translation), and reads nothing from the database. A counter no
receiver names is shown as "other count".
"""
