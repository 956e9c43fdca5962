"""Domain events of the service list, for the apps above it to act on.

This app may not import coproduction, accountability or evaluation, yet what those apps keep
about a service-list item (its evaluation indicators, for one) has to follow the item from one
version to the next. Each signal below says when it is sent, inside or after the transaction, and
with which keyword arguments; the receivers are connected in the higher apps' receivers.py,
imported by their AppConfig.ready(), and call their own rules, so the whole action commits or
fails together.
"""

from django.dispatch import Signal

list_item_version_created = Signal()
"""
Sent by list_item_new_version() once the new draft is saved, inside the same transaction.

Arguments:

- ``sender``: the ServiceListItem class.
- ``item``: the new draft (a ServiceListItem with status draft and the next version number).
- ``previous``: the version it was copied from (the one the official chose, not necessarily
  the latest).
- ``user``: the user who asked for the new version, or common.actors.TRUSTED when the platform
  acts (demo data, imports).

A receiver that raises rolls the new version back with it.
"""
