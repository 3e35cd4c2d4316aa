"""Signals other apps listen to, so that they need not reach into this one.

- ``actors_merged(sender, kept, removed, user)``: ``removed`` was merged into ``kept``
  (e.g. the members app moves representatives and claims to ``kept``).
- ``actors_imported(sender, actors, user)``: an editor's import created these actors.
"""

from django.dispatch import Signal

actors_merged = Signal()
actors_imported = Signal()
