"""Extension points of the partners app for the apps above it: a resident's data export and account removal.

This app holds the resident's profile; the records the resident made elsewhere (claims,
check-ins, needs, complaints, ratings) belong to the apps above this one, which it may not
import. Each signal below says when it is sent, inside or after the transaction, with which
keyword arguments and what its receivers return; the receivers are connected in the higher apps'
receivers.py, imported by their AppConfig.ready().
"""

from django.dispatch import Signal

resident_data_requested = Signal()
"""
Sent by resident_data() when a resident downloads everything the platform holds about them,
once their right to it is checked; no transaction is open.

Arguments:

- ``sender``: the Resident class.
- ``resident``: the Resident whose data is exported.

Each receiver returns ``{section name: data}`` for the records its app holds about the resident,
the data ready for JSON (lists of dicts of strings, numbers, dates, decimals). Each section reads
with a fixed number of queries, so the size of the export never changes how many it takes. The
sections appear in the order the receivers are connected.
"""

resident_removing = Signal()
"""
Sent by resident_remove() inside its transaction, once the removal is allowed and before the
resident row and their login are anonymised, so that each app releases or erases what it holds
that is personal (an active claim's place, photos). What the resident did stays, anonymised.

Arguments:

- ``sender``: the Resident class.
- ``resident``: the Resident, locked and not yet anonymised.
- ``by``: who removes the account (the resident themself, or an administrator).

Each receiver returns what it did as ``{name: count}``, written to the removal's audit entry. A
receiver that raises rolls the whole removal back; files are deleted from storage only once it
commits (``transaction.on_commit``).
"""
